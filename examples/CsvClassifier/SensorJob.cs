using DistGrad.Distributed;
using DistGrad.Nn;

namespace CsvClassifier;

/// <summary>A job on the user's own files: train.csv and test.csv under --data-dir (the sample sensor readings by default).</summary>
public static class SensorJob
{
    public static TrainingJob Job { get; } = new("sensor-csv")
    {
        Description = "MLP on the rows of train.csv / test.csv (numeric features, integer 'label' column)",
        Defaults = new JobSpec { DataDirectory = Path.Combine(AppContext.BaseDirectory, "data"), BatchSize = 60, Epochs = 10, DataParallel = 2, LearningRate = 0.05 },
        Model = ctx => new Sequential(
            new Linear(4, 32, generator: ctx.Generator), new ReLU(),
            new Linear(32, 3, generator: ctx.Generator)),
        TrainingData = ctx => Load(ctx, "train.csv"),
        TestData = ctx => Load(ctx, "test.csv"),
    };

    private static DistGrad.Data.TensorDataset Load(JobContext ctx, string file)
    {
        var train = CsvFile.Read(Path.Combine(ctx.Spec.DataDirectory, "train.csv"), "label");
        var table = file == "train.csv" ? train : CsvFile.Read(Path.Combine(ctx.Spec.DataDirectory, file), "label");
        return CsvFile.ToDataset(table, train);
    }
}
