using Akka.Actor;
using Akka.Cluster.Sharding;
using DistGrad.Distributed.Formation;
using DistGrad.Distributed.Messages;
using DistGrad.Distributed.Nodes;
using DistGrad.Distributed.Placement;
using DistGrad.Distributed.Tests.Training;
using DistGrad.Distributed.Workers;

namespace DistGrad.Distributed.Tests.Cluster;

/// <summary>
/// Every worker of every attempt is a shard of its own; the shards of attempts that ended are handed off, so a
/// long run with many recoveries does not pile them up in the shard coordinator, while running workers stay put.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ShardCleanupTests() : Akka.TestKit.Xunit2.TestKit(NodeConfig)
{
    private static readonly JobSpec Solo = new() { Job = "mlp", BatchSize = 16, DataParallel = 1, Seed = 1, Evaluate = false };

    /// <summary>A worker node with two slots on loopback, rebalancing often so the test is short.</summary>
    private static Akka.Configuration.Config NodeConfig => Akka.Configuration.ConfigurationFactory.ParseString("akka.cluster.sharding.rebalance-interval = 500ms")
        .WithFallback(WorkerNode.Configuration(new NodeNetwork(), 2));

    [Fact]
    public async Task The_shard_of_a_finished_attempt_is_deallocated_and_a_running_one_is_kept()
    {
        WorkerNode.StartActors(Sys, DataPlaneAddress.Loopback, 2, "cpu,cpu", TestJobs.Catalog);
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        var region = WorkerPlacement.Region(Sys);

        region.Tell(new StartWorker("attempt-1", 0, Solo, TestActor));
        Assert.Equal("attempt-1", ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(30)).JobId);
        var finished = LastSender;
        region.Tell(new StartWorker("attempt-2", 0, Solo, TestActor));
        Assert.Equal("attempt-2", ExpectMsg<WorkerStarted>(TimeSpan.FromSeconds(30)).JobId);
        Assert.Equal(["attempt-1-rank0", "attempt-2-rank0"], (await AllocatedShards(region)).Order());

        finished.Tell(new StopJob("attempt-1"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<string> shards;
        do
        {
            await Task.Delay(250);
            shards = await AllocatedShards(region);
        }
        while (shards.Contains("attempt-1-rank0") && DateTime.UtcNow < deadline);

        Assert.Equal(["attempt-2-rank0"], shards);
    }

    /// <summary>The shards the shard coordinator has allocated, as its cluster-wide statistics list them.</summary>
    private static async Task<IReadOnlyList<string>> AllocatedShards(IActorRef region)
    {
        var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(5));
        return stats.Regions.Values.SelectMany(r => r.Stats.Keys).ToList();
    }
}
