using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// Brings a node into its cluster as its <see cref="NodeNetwork"/> says — seed nodes (configured, Akka joins by
/// itself) or Cluster Bootstrap over discovered contact points — and turns a join that does not happen in time
/// into one sentence naming the discovery method, what it found and what this node advertises.
/// </summary>
public static class ClusterJoin
{
    /// <summary>Starts the management endpoint and Cluster Bootstrap when the discovery needs them (an IOException when the port cannot be had).</summary>
    public static async Task StartAsync(ActorSystem system, NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(network);
        if (!network.UsesBootstrap)
        {
            return;
        }

        await ManagementEndpoint.StartAsync(system, network).ConfigureAwait(false);
        await ClusterBootstrap.Get(system).Start().ConfigureAwait(false);
    }

    /// <summary>Null once this node is an Up member; the reason when <see cref="NodeNetwork.JoinTimeout"/> passes first.</summary>
    public static async Task<string?> WaitUntilUpAsync(ActorSystem system, NodeNetwork network)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(network);
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (await Task.WhenAny(up.Task, Task.Delay(network.JoinTimeout)).ConfigureAwait(false) == up.Task || system.WhenTerminated.IsCompleted)
        {
            return null;
        }

        var seconds = network.JoinTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var advertised = $"this node advertises {cluster.SelfAddress}";
        if (!network.UsesBootstrap)
        {
            return $"could not join the cluster through the seed nodes {string.Join(", ", network.SeedNodes)} within {seconds} s: " +
                $"none answered (is the first seed node running, or is this node the first seed? Can the seeds reach this node where it says it is? {advertised})";
        }

        var found = await ContactPointSurvey.TakeAsync(system, network).ConfigureAwait(false);
        var method = BootstrapConfig.Method(network.Discovery);
        if (found.Answering.Count < network.RequiredContactPoints)
        {
            return $"Cluster Bootstrap (discovery {method}) found {found.Answering.Count} of the {network.RequiredContactPoints} required contact points within {seconds} s: {found.Describe()}";
        }

        return $"Cluster Bootstrap (discovery {method}) found {found.Answering.Count} contact points ({found.Describe()}) but no cluster formed within {seconds} s: " +
            $"the nodes must reach each other at the addresses they advertise ({advertised} and its management endpoint at {network.Hostname}:{network.ManagementPort})";
    }
}
