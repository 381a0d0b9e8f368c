using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>Helpers that turn loader passes into comparable values.</summary>
internal static class Batches
{
    /// <summary>A dataset whose targets are the sample indices 0..n-1, so a batch's Y says which samples it holds.</summary>
    public static TensorDataset Indexed(int n, int features = 2)
    {
        var x = Tensor.From(Enumerable.Range(0, n * features).Select(v => (float)v).ToArray(), [n, features]);
        return new TensorDataset(x, Tensor.Arange(n));
    }

    /// <summary>One pass of the loader: the sample indices of each batch.</summary>
    public static List<long[]> Pass(IEnumerable<(Tensor X, Tensor Y)> loader) => loader.Select(b => b.Y.ToArray<long>()).ToList();

    public static long[] Flat(IEnumerable<long[]> batches) => batches.SelectMany(b => b).ToArray();
}
