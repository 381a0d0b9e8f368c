using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Distributed.Tests.Checkpoints;

public class CheckpointCorruptionTests
{
    [Fact]
    public void A_flipped_byte_falls_back_to_the_previous_step_naming_the_file()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        CheckpointFixtures.WriteWhole(store, 20);
        FlipByte(CheckpointFixtures.ShardPath(store, 20, 1), at: 200);

        var log = new List<string>();
        var latest = store.LatestValid(log.Add);

        Assert.Equal(10, latest!.Step);
        var reason = Assert.Single(log);
        Assert.StartsWith("step 20: rank-00001.safetensors checksum mismatch (expected ", reason, StringComparison.Ordinal);
        Assert.EndsWith("); falling back", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_shard_falls_back_with_the_sizes()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        var shards = CheckpointFixtures.WriteWhole(store, 20);
        var path = CheckpointFixtures.ShardPath(store, 20, 0);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(100);
        }

        var log = new List<string>();
        Assert.Equal(10, store.LatestValid(log.Add)!.Step);
        Assert.Equal([$"step 20: rank-00000.safetensors truncated: 100 of {shards[0].Bytes} bytes; falling back"], log);
    }

    [Fact]
    public void A_shard_whose_tail_never_reached_the_disk_falls_back_on_its_checksum()
    {
        // What a machine crash can leave of a shard that was not fsynced: the right size, zeros where pages were lost.
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        CheckpointFixtures.WriteWhole(store, 20);
        var path = CheckpointFixtures.ShardPath(store, 20, 0);
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(bytes.Length / 2).Clear();
        File.WriteAllBytes(path, bytes);

        var log = new List<string>();
        Assert.Equal(10, store.LatestValid(log.Add)!.Step);
        Assert.StartsWith("step 20: rank-00000.safetensors checksum mismatch (expected ", Assert.Single(log), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"format\": \"distgrad-checkpoint/2\"", "\"format\": \"distgrad-checkpoint/1\"", "unknown format \"distgrad-checkpoint/1\" (expected \"distgrad-checkpoint/2\")")]
    [InlineData("\"checksum_algorithm\": \"xxhash128\"", "\"checksum_algorithm\": \"sha256\"", "unknown checksum algorithm \"sha256\" (expected \"xxhash128\")")]
    [InlineData("\"checksum\": \"", "\"checksum\": \"0", "is not 32 lowercase hex digits")]
    public void A_manifest_of_another_format_or_checksum_is_skipped_with_the_reason(string original, string replacement, string reason)
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        CheckpointFixtures.WriteWhole(store, 20);
        var manifest = Path.Combine(store.StepDirectory(20), "checkpoint.json");
        var json = File.ReadAllText(manifest);
        Assert.Contains(original, json, StringComparison.Ordinal);
        File.WriteAllText(manifest, json.Replace(original, replacement, StringComparison.Ordinal));

        var log = new List<string>();
        Assert.Equal(10, store.LatestValid(log.Add)!.Step);
        var line = Assert.Single(log);
        Assert.StartsWith("step 20: checkpoint.json is unreadable: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_damaged_manifests_and_missing_shards_are_skipped_with_their_reasons()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path, keep: 5);
        CheckpointFixtures.WriteWhole(store, 10);
        CheckpointFixtures.WriteWhole(store, 20);
        CheckpointFixtures.WriteWhole(store, 30);
        CheckpointFixtures.WriteWhole(store, 40);
        File.Delete(Path.Combine(store.StepDirectory(40), "checkpoint.json"));
        File.WriteAllText(Path.Combine(store.StepDirectory(30), "checkpoint.json"), "{\"format\": \"distgrad-checkpoint/2\", \"step\": ");
        File.Delete(CheckpointFixtures.ShardPath(store, 20, 1));

        var log = new List<string>();
        Assert.Equal(10, store.LatestValid(log.Add)!.Step);

        Assert.Equal(3, log.Count);
        Assert.Equal("step 40: no checkpoint.json (incomplete); falling back", log[0]);
        Assert.StartsWith("step 30: checkpoint.json is unreadable: ", log[1], StringComparison.Ordinal);
        Assert.Equal("step 20: rank-00001.safetensors is missing; falling back", log[2]);
    }

    [Fact]
    public void With_every_checkpoint_damaged_there_is_none_and_find_says_why()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        FlipByte(CheckpointFixtures.ShardPath(store, 10, 0), at: 3);

        var log = new List<string>();
        Assert.Null(store.LatestValid(log.Add));
        Assert.EndsWith("; no earlier checkpoint", Assert.Single(log), StringComparison.Ordinal);

        log.Clear();
        Assert.Null(store.Find(10, log.Add));
        Assert.Contains("rank-00000.safetensors checksum mismatch", Assert.Single(log), StringComparison.Ordinal);
        Assert.Null(store.Find(99, log.Add));
    }

    [Fact]
    public void Reading_a_shard_that_rotted_after_validation_throws_naming_the_file()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        var checkpoint = store.LatestValid()!;
        var path = CheckpointFixtures.ShardPath(store, 10, 1);
        FlipByte(path, at: (int)new FileInfo(path).Length - 1);

        var error = Assert.Throws<InvalidDataException>(() => store.ReadShard(checkpoint, 1));
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch (expected ", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, store.ReadShard(checkpoint, 0).Step);
    }

    private static void FlipByte(string path, int at)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }
}
