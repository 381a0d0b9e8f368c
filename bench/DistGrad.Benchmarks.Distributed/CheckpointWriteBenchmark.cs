using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DistGrad.Actors.Checkpoints;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// The checkpoint write target: one worker's shard of ~100 MB of float32 parameters (25 tensors of 1M
/// floats, no optimizer state) through <see cref="CheckpointStore.WriteShard"/>, against File.Copy of a
/// file of the same bytes and against one FileStream.Write of them. Medians of 5 after a warm-up; the
/// shard write includes its fsync, which File.Copy does not do, so the raw write is timed with one too,
/// and the SHA-256 of the same bytes alone shows the floor the checksum sets.
/// </summary>
internal static class CheckpointWriteBenchmark
{
    private const int Tensors = 25;
    private const int FloatsPerTensor = 1_000_000;
    private const int Repetitions = 5;

    public static int Run(string? directory)
    {
        var root = Path.Combine(directory ?? Path.GetTempPath(), "distgrad-checkpoint-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var generator = new Generator(0);
            var parameters = Enumerable.Range(0, Tensors).ToDictionary(i => $"layers.{i}.weight", _ => Tensor.Rand([1000, FloatsPerTensor / 1000], generator: generator));
            var checkpoint = new WorkerCheckpoint(0, parameters, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["step"] = "0" });
            var store = new CheckpointStore(Path.Combine(root, "checkpoints"));
            var source = Path.Combine(store.StepDirectory(0), store.WriteShard(0, 0, checkpoint).File); // warm-up, and File.Copy's source
            var bytes = File.ReadAllBytes(source);

            var shard = Median(step => store.WriteShard(step + 1, 0, checkpoint with { Step = step + 1 }), step => Directory.Delete(store.StepDirectory(step + 1), recursive: true));
            var copy = Median(i => File.Copy(source, Target(root, i)), i => File.Delete(Target(root, i)));
            var raw = Median(i => WriteRaw(Target(root, i), bytes, flushToDisk: false), i => File.Delete(Target(root, i)));
            var rawSynced = Median(i => WriteRaw(Target(root, i), bytes, flushToDisk: true), i => File.Delete(Target(root, i)));

            var hashOnly = Median(_ => SHA256.HashData(bytes), _ => { });
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"checkpoint write {bytes.Length / 1e6:F1} MB ({Tensors} x {FloatsPerTensor / 1_000_000}M float32 parameters, no optimizer state), median of {Repetitions}: " +
                $"WriteShard {shard:F1} ms (sha256 + fsync + rename) | File.Copy {copy:F1} ms | FileStream.Write {raw:F1} ms, +fsync {rawSynced:F1} ms | SHA-256 alone {hashOnly:F1} ms | " +
                $"WriteShard/File.Copy {shard / copy:F2}x (target <= 2x), WriteShard/(write+fsync) {shard / rawSynced:F2}x"));
            return shard / copy <= 2 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Target(string root, int i) => Path.Combine(root, $"copy-{i}.bin");

    private static void WriteRaw(string path, byte[] bytes, bool flushToDisk)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        file.Write(bytes);
        file.Flush(flushToDisk);
    }

    /// <summary>The median time of <paramref name="action"/> in milliseconds; <paramref name="cleanUp"/> runs between, untimed.</summary>
    private static double Median(Action<int> action, Action<int> cleanUp)
    {
        var times = new double[Repetitions];
        for (var i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action(i);
            times[i] = watch.Elapsed.TotalMilliseconds;
            cleanUp(i);
        }

        Array.Sort(times);
        return times[Repetitions / 2];
    }
}
