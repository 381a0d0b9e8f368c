using DistGrad.Optim;

namespace DistGrad.Tests.Optim;

/// <summary>
/// The parameters and gradient sequence that reference_optimizers.py feeds PyTorch 1.13: two parameters,
/// [2, 2] and [3], five steps, and no gradient for the second parameter at step 3 (so it is skipped).
/// </summary>
internal static class OptimTestData
{
    public const int Steps = 5;

    public static readonly double[,] P1 = { { 0.5, -1.2 }, { 2.0, 0.3 } };
    public static readonly double[] P2 = [1.0, -0.5, 0.25];

    public static readonly double[][,] G1 =
    [
        new[,] { { 0.1, -0.4 }, { 1.5, 0.0 } },
        new[,] { { -0.3, 0.2 }, { 0.8, -1.1 } },
        new[,] { { 0.6, 0.05 }, { -0.7, 0.9 } },
        new[,] { { 0.25, -0.6 }, { 0.4, 1.2 } },
        new[,] { { -0.9, 0.35 }, { 0.15, -0.45 } },
    ];

    public static readonly double[]?[] G2 =
    [
        [0.7, -0.2, 0.05],
        [-1.3, 0.4, 0.6],
        null,
        [0.2, 0.9, -0.75],
        [0.5, -0.1, 1.4],
    ];

    /// <summary>Fresh leaf parameters requiring grad, in <paramref name="dtype"/> (rounded from the double literals as torch.tensor does).</summary>
    public static (Tensor P1, Tensor P2) Parameters(DType dtype = DType.Float32) =>
        (Tensor.From(P1).To(dtype).SetRequiresGrad(), Tensor.From(P2).To(dtype).SetRequiresGrad());

    /// <summary>Clears the gradients and sets those of step <paramref name="step"/> (0-based), as the reference script does.</summary>
    public static void SetGradients(Optimizer optimizer, Tensor p1, Tensor p2, int step)
    {
        optimizer.ZeroGrad();
        p1.Grad = Tensor.From(G1[step]).To(p1.DType);
        if (G2[step] is { } g2)
        {
            p2.Grad = Tensor.From(g2).To(p2.DType);
        }
    }

    /// <summary>Runs steps [<paramref name="from"/>, <paramref name="to"/>) and returns both parameters' values after each, flattened.</summary>
    public static List<double[]> Run(Optimizer optimizer, Tensor p1, Tensor p2, int from = 0, int to = Steps)
    {
        var rows = new List<double[]>();
        for (var t = from; t < to; t++)
        {
            SetGradients(optimizer, p1, p2, t);
            optimizer.Step();
            rows.Add(Values(p1, p2));
        }

        return rows;
    }

    public static double[] Values(params Tensor[] tensors) => tensors.SelectMany(t => t.ToArray<double>()).ToArray();

    /// <summary>Each row within <paramref name="rel"/> of PyTorch's (relative, plus <paramref name="abs"/> for values near zero).</summary>
    public static void AssertRows(double[][] expected, IReadOnlyList<double[]> actual, double rel, int firstStep = 1, double abs = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var t = 0; t < expected.Length; t++)
        {
            AssertClose(expected[t], actual[t], rel, $"after step {t + firstStep}", abs);
        }
    }

    public static void AssertClose(double[] expected, double[] actual, double rel, string context = "", double abs = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = (rel * Math.Abs(expected[i])) + abs;
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{context} element {i}: expected {expected[i]:R}, got {actual[i]:R} (difference {Math.Abs(expected[i] - actual[i]):E2})");
        }
    }

    public static double[][] F(params float[][] rows) => rows.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
}
