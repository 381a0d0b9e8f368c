namespace DistGrad.Data;

/// <summary>Random orderings of 0..n-1 (PyTorch's randperm, though not its exact stream).</summary>
internal static class Permutation
{
    /// <summary>A uniformly random permutation by Fisher–Yates, consuming n - 1 draws of the generator.</summary>
    public static int[] Draw(int n, Generator generator)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)generator.NextLong(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
