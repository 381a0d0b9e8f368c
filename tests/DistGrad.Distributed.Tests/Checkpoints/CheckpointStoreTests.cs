using DistGrad.Distributed.Checkpoints;
using DistGrad.Serialization;

namespace DistGrad.Distributed.Tests.Checkpoints;

public class CheckpointStoreTests
{
    [Fact]
    public void Step_directories_are_zero_padded_so_they_sort_and_keep_must_be_positive()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path, keep: 2);
        Assert.Equal(Path.Combine(temp.Path, "step-00000010"), store.StepDirectory(10));
        Assert.Equal(2, store.Keep);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointStore(temp.Path, keep: 0));
    }

    [Fact]
    public void A_committed_checkpoint_reads_back_with_its_tensors_metadata_and_manifest()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var shards = CheckpointFixtures.WriteWhole(store, 10);

        var latest = store.LatestValid();
        Assert.NotNull(latest);
        Assert.Equal(10, latest.Step);
        Assert.Equal(2, latest.WorldSize);
        Assert.Equal(shards, latest.Shards);
        Assert.Equal("dp=2", latest.Metadata["layout"]);

        var written = CheckpointFixtures.Shard(10, 1);
        var read = store.ReadShard(latest, 1);
        Assert.Equal(10, read.Step);
        Assert.Equal(written.Metadata, read.Metadata);
        Assert.Equal(written.Parameters.Keys.Order(), read.Parameters.Keys.Order());
        Assert.Equal(written.Parameters["0.weight"].ToArray<float>(), read.Parameters["0.weight"].ToArray<float>());
        Assert.Equal([3, 4], read.Parameters["0.weight"].Shape);
        Assert.Equal(DType.Float64, read.OptimizerState["param_groups.0.lr"].DType);
        Assert.Equal([0L, 1L], read.OptimizerState["param_groups.0.params"].ToArray<long>());
    }

    [Fact]
    public void A_shard_is_a_plain_safetensors_file_with_the_metadata_in_its_header()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var shard = store.WriteShard(5, 0, CheckpointFixtures.Shard(5, 0));

        var path = Path.Combine(store.StepDirectory(5), shard.File);
        Assert.Equal("rank-00000.safetensors", shard.File);
        Assert.Equal(new FileInfo(path).Length, shard.Bytes);
        Assert.Equal(Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(File.ReadAllBytes(path))), shard.Checksum);
        Assert.Matches("^[0-9a-f]{32}$", shard.Checksum);
        Assert.Equal(["param/0.weight", "param/0.bias", "optim/state.0.momentum_buffer", "optim/param_groups.0.lr", "optim/param_groups.0.params"], SafeTensors.Load(path).Keys);
        Assert.Equal("0", SafeTensors.LoadMetadata(path)["rank"]);
    }

    [Fact]
    public void The_manifest_records_each_shards_xxhash128_checksum_and_size()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var shards = CheckpointFixtures.WriteWhole(store, 10);

        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store.StepDirectory(10), "checkpoint.json")));
        var root = manifest.RootElement;
        Assert.Equal("distgrad-checkpoint/2", root.GetProperty("format").GetString());
        Assert.Equal("xxhash128", root.GetProperty("checksum_algorithm").GetString());
        var recorded = root.GetProperty("shards").EnumerateArray().ToList();
        Assert.Equal(2, recorded.Count);
        for (var rank = 0; rank < 2; rank++)
        {
            Assert.Equal(shards[rank].File, recorded[rank].GetProperty("file").GetString());
            Assert.Equal(shards[rank].Checksum, recorded[rank].GetProperty("checksum").GetString());
            Assert.Equal(shards[rank].Bytes, recorded[rank].GetProperty("bytes").GetInt64());
            Assert.False(recorded[rank].TryGetProperty("sha256", out _));
        }
    }

    [Fact]
    public void Keep_two_leaves_the_newest_two_and_removes_older_incomplete_steps_but_not_newer_ones()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path, keep: 2);
        CheckpointFixtures.WriteWhole(store, 10);
        store.WriteShard(15, 0, CheckpointFixtures.Shard(15, 0)); // interrupted before its commit
        CheckpointFixtures.WriteWhole(store, 20);
        store.WriteShard(40, 0, CheckpointFixtures.Shard(40, 0)); // still being written by the workers
        CheckpointFixtures.WriteWhole(store, 30);

        var left = Directory.GetDirectories(temp.Path).Select(d => Path.GetFileName(d)!).Order().ToArray();
        Assert.Equal(["step-00000020", "step-00000030", "step-00000040"], left);
        Assert.Equal(30, store.LatestValid()!.Step);
    }

    [Fact]
    public void A_step_without_its_manifest_is_absent_and_leftover_temporary_files_are_ignored()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        CheckpointFixtures.WriteWhole(store, 10);
        var shards = Enumerable.Range(0, 2).Select(rank => store.WriteShard(20, rank, CheckpointFixtures.Shard(20, rank))).ToList();
        // A crash during the rename of the manifest leaves only its temporary file.
        File.WriteAllText(Path.Combine(store.StepDirectory(20), "checkpoint.json.123-abc.tmp"), "{\"step\": 20");
        File.WriteAllBytes(Path.Combine(store.StepDirectory(10), "rank-00000.safetensors.9-def.tmp"), [1, 2, 3]);

        var log = new List<string>();
        var latest = store.LatestValid(log.Add);

        Assert.Equal(10, latest!.Step);
        Assert.Equal(["step 20: no checkpoint.json (incomplete); falling back"], log);
        Assert.Equal(2, latest.Shards.Count);
        Assert.Equal(2, shards.Count);
    }

    [Fact]
    public void Commit_requires_a_shard_for_every_rank_and_a_matching_step()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        var shard = store.WriteShard(10, 0, CheckpointFixtures.Shard(10, 0));

        var missing = Assert.Throws<ArgumentException>(() => store.Commit(10, 2, [shard], new Dictionary<string, string>()));
        Assert.Contains("rank 0..1", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => store.Commit(11, 1, [shard], new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => store.WriteShard(11, 0, CheckpointFixtures.Shard(10, 0)));
        Assert.Null(store.LatestValid());
    }

    [Fact]
    public void Rewriting_a_shard_replaces_it_whole()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(temp.Path);
        store.WriteShard(10, 0, CheckpointFixtures.Shard(10, 0));
        var again = store.WriteShard(10, 0, CheckpointFixtures.Shard(10, 0) with { Metadata = new Dictionary<string, string> { ["retry"] = "1" } });
        store.Commit(10, 1, [again], new Dictionary<string, string>());

        Assert.Equal("1", store.ReadShard(store.LatestValid()!, 0).Metadata["retry"]);
        Assert.Single(Directory.GetFiles(store.StepDirectory(10), "rank-*"));
    }
}
