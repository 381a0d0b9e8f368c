using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Benchmarks.Distributed;

/// <summary>
/// The checkpoint write target: one worker's shard of ~100 MB of float32 parameters (25 tensors of 1M
/// floats, no optimizer state) through <see cref="CheckpointStore.WriteShard"/> and the step's
/// <see cref="CheckpointStore.Commit"/>, against File.Copy of a file of the same bytes and against one
/// FileStream.Write of them (with and without an fsync). Medians of 5 after 10 warm-ups. The shard is
/// checksummed (XxHash128) but not fsynced; the commit fsyncs its small checkpoint.json. The XxHash128
/// and SHA-256 of the same bytes alone show what the checksum costs, and what it cost before.
/// </summary>
internal static class CheckpointWriteBenchmark
{
    private const int Tensors = 25;
    private const int FloatsPerTensor = 1_000_000;
    private const int Repetitions = 5;

    // XxHash128 comes from a NuGet package, not the ReadyToRun framework: its code starts at tier 0 and
    // needs a few writes before tiered compilation replaces it (a process's first three shards took
    // ~190, ~130 and ~90 ms here, then ~25). The timed writes are the steady state a training run reaches.
    private const int WarmUps = 10;

    public static int Run(string? directory)
    {
        var root = Path.Combine(directory ?? Path.GetTempPath(), "distgrad-checkpoint-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var generator = new Generator(0);
            var parameters = Enumerable.Range(0, Tensors).ToDictionary(i => $"layers.{i}.weight", _ => Tensor.Rand([1000, FloatsPerTensor / 1000], generator: generator));
            var checkpoint = new WorkerCheckpoint(0, parameters, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["step"] = "0" });
            var metadata = new Dictionary<string, string> { ["job"] = "bench" };
            var store = new CheckpointStore(Path.Combine(root, "checkpoints"), keep: 1_000);
            for (var step = 1_000L; step < 1_000 + WarmUps; step++)
            {
                store.Commit(step, 1, [store.WriteShard(step, 0, checkpoint with { Step = step })], metadata);
                Directory.Delete(store.StepDirectory(step), recursive: true);
            }

            var first = store.WriteShard(0, 0, checkpoint); // File.Copy's source
            store.Commit(0, 1, [first], metadata); // whole, so the timed commits' pruning leaves it
            var source = Path.Combine(store.StepDirectory(0), first.File);
            var bytes = File.ReadAllBytes(source);

            long Step(int i) => i + 1;
            void DeleteStep(int i) => Directory.Delete(store.StepDirectory(Step(i)), recursive: true);
            var shard = Median(i => store.WriteShard(Step(i), 0, checkpoint with { Step = Step(i) }), DeleteStep);
            var written = new ShardInfo[Repetitions];
            var commit = Median(
                i => store.Commit(Step(i), 1, [written[i]], metadata),
                DeleteStep,
                setUp: i => written[i] = store.WriteShard(Step(i), 0, checkpoint with { Step = Step(i) }));
            var copy = Median(i => File.Copy(source, Target(root, i)), i => File.Delete(Target(root, i)));
            var raw = Median(i => WriteRaw(Target(root, i), bytes, flushToDisk: false), i => File.Delete(Target(root, i)));
            var rawSynced = Median(i => WriteRaw(Target(root, i), bytes, flushToDisk: true), i => File.Delete(Target(root, i)));
            var xxHash = Median(_ => XxHash128.Hash(bytes), _ => { });
            var sha256 = Median(_ => SHA256.HashData(bytes), _ => { });

            var whole = shard + commit;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"checkpoint write {bytes.Length / 1e6:F1} MB ({Tensors} x {FloatsPerTensor / 1_000_000}M float32 parameters, no optimizer state), median of {Repetitions}: " +
                $"WriteShard {shard:F1} ms (xxhash128 + rename, no fsync) | Commit {commit:F1} ms (checkpoint.json + fsync + rename) | " +
                $"File.Copy {copy:F1} ms | FileStream.Write {raw:F1} ms, +fsync {rawSynced:F1} ms | XxHash128 alone {xxHash:F1} ms | SHA-256 alone {sha256:F1} ms | " +
                $"WriteShard/File.Copy {shard / copy:F2}x, (WriteShard+Commit)/File.Copy {whole / copy:F2}x (target <= 2x), WriteShard/FileStream.Write {shard / raw:F2}x"));
            return whole / copy <= 2 ? 0 : 1;
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

    /// <summary>
    /// The median time of <paramref name="action"/> in milliseconds; <paramref name="setUp"/> runs before
    /// each and <paramref name="cleanUp"/> after, untimed.
    /// </summary>
    private static double Median(Action<int> action, Action<int> cleanUp, Action<int>? setUp = null)
    {
        var times = new double[Repetitions];
        for (var i = 0; i < Repetitions; i++)
        {
            setUp?.Invoke(i);
            var watch = Stopwatch.StartNew();
            action(i);
            times[i] = watch.Elapsed.TotalMilliseconds;
            cleanUp(i);
        }

        Array.Sort(times);
        return times[Repetitions / 2];
    }
}
