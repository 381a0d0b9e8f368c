using DistGrad.Distributed.Checkpoints;

namespace DistGrad.Distributed.Tests.Checkpoints;

/// <summary>Each coordinator of a run directory claims a higher epoch, and an older one is fenced off from committing.</summary>
public class CoordinatorEpochTests
{
    [Fact]
    public void Claims_count_up_from_one_and_fence_every_older_epoch()
    {
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "checkpoints");
        Assert.Equal(0, CoordinatorEpoch.Newest(root));

        var first = CoordinatorEpoch.Claim(root);
        CoordinatorEpoch.ThrowIfFenced(root, first);
        var second = CoordinatorEpoch.Claim(root);

        Assert.Equal((1, 2), (first, second));
        CoordinatorEpoch.ThrowIfFenced(root, second);
        var fenced = Assert.Throws<CoordinatorFencedException>(() => CoordinatorEpoch.ThrowIfFenced(root, first));
        Assert.Equal("a newer coordinator (epoch 2) has taken this run directory over; this one (epoch 1) is stale and commits nothing more", fenced.Message);
    }

    [Fact]
    public void Claims_made_at_the_same_time_never_share_an_epoch()
    {
        using var dir = new TempDirectory();

        var epochs = Enumerable.Range(0, 16).AsParallel().Select(_ => CoordinatorEpoch.Claim(dir.Path)).ToList();

        Assert.Equal(Enumerable.Range(1, 16).Select(e => (long)e), epochs.Order());
    }

    [Fact]
    public void Files_that_are_no_claim_are_ignored()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, CoordinatorEpoch.FilePrefix + "x"), "");
        File.WriteAllText(Path.Combine(dir.Path, "step-00000010"), "");

        Assert.Equal(1, CoordinatorEpoch.Claim(dir.Path));
    }
}
