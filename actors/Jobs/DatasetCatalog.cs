using DistGrad.Data;

namespace DistGrad.Distributed;

/// <summary>The datasets a job can name; each worker loads its own copy (samples never cross the cluster).</summary>
public static class DatasetCatalog
{
    /// <summary>The subset bundled in the repository (6,000 training and 1,000 test images).</summary>
    public const string Mini = "fashion-mnist-mini";

    /// <summary>The full set from IDX files in the job's data directory.</summary>
    public const string Full = "fashion-mnist";

    public static IReadOnlyList<string> Names { get; } = [Mini, Full];

    /// <summary>The training or test split the job names.</summary>
    public static TensorDataset Load(JobSpec spec, bool train)
    {
        var directory = spec.Dataset switch
        {
            Mini => FashionMnist.SubsetDirectory,
            Full => spec.DataDirectory,
            _ => throw new ArgumentException($"unknown dataset '{spec.Dataset}' (known: {string.Join(", ", Names)})"),
        };
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the {spec.Dataset} data directory '{directory}' does not exist");
        }

        return FashionMnist.Load(directory, train);
    }
}
