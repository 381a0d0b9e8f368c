using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Distributed.Tests.Checkpoints;

public class CheckpointResumeDirectoryTests
{
    [Fact]
    public void Resume_takes_a_run_directory_or_its_checkpoint_directory()
    {
        using var temp = new TempDirectory();
        var store = new CheckpointStore(Path.Combine(temp.Path, "checkpoints"));
        CheckpointFixtures.WriteWhole(store, 10);
        CheckpointFixtures.WriteWhole(store, 20);

        Assert.Equal(20, CheckpointStore.LatestValidIn(temp.Path)!.Step);
        Assert.Equal(20, CheckpointStore.LatestValidIn(store.Root)!.Step);
        Assert.Equal(store.StepDirectory(20), CheckpointStore.LatestValidIn(temp.Path)!.Directory);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_directory_means_no_checkpoint(string? root) => Assert.Null(CheckpointStore.LatestValidIn(root));

    [Fact]
    public void An_empty_or_absent_directory_holds_no_checkpoint()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "checkpoints"));
        var log = new List<string>();

        Assert.Null(CheckpointStore.LatestValidIn(temp.Path, log.Add));
        Assert.Null(CheckpointStore.LatestValidIn(Path.Combine(temp.Path, "absent"), log.Add));
        Assert.Null(new CheckpointStore(Path.Combine(temp.Path, "absent")).LatestValid(log.Add));
        Assert.Empty(log);
    }
}
