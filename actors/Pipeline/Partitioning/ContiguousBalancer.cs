namespace DistGrad.Distributed.Pipeline;

/// <summary>
/// Cuts a sequence of costs into S contiguous, non-empty runs whose largest total is as small as possible
/// (the slowest stage sets a pipeline's pace). Exact dynamic programming, O(S·n²), fine for layer counts.
/// </summary>
public static class ContiguousBalancer
{
    /// <summary>The size of each run, first to last.</summary>
    public static int[] Balance(IReadOnlyList<double> costs, int parts)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var n = costs.Count;
        if (parts < 1 || parts > n)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"cannot cut {n} items into {parts} non-empty runs");
        }

        var prefix = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            prefix[i + 1] = prefix[i] + costs[i];
        }

        // best[p, i]: the smallest possible largest run when the first i items form p runs; cut[p, i]: where the last run starts.
        var best = new double[parts + 1, n + 1];
        var cut = new int[parts + 1, n + 1];
        for (var i = 0; i <= n; i++)
        {
            best[1, i] = i == 0 ? double.PositiveInfinity : prefix[i];
        }

        for (var p = 2; p <= parts; p++)
        {
            for (var i = 0; i <= n; i++)
            {
                best[p, i] = double.PositiveInfinity;
                // Ties go to the latest start of the last run, so earlier stages take the extra layers (deterministic).
                for (var start = p - 1; start < i; start++)
                {
                    var candidate = Math.Max(best[p - 1, start], prefix[i] - prefix[start]);
                    if (candidate <= best[p, i])
                    {
                        best[p, i] = candidate;
                        cut[p, i] = start;
                    }
                }
            }
        }

        var sizes = new int[parts];
        var end = n;
        for (var p = parts; p >= 2; p--)
        {
            var start = cut[p, end];
            sizes[p - 1] = end - start;
            end = start;
        }

        sizes[0] = end;
        return sizes;
    }
}
