using Akka.Actor;
using Akka.Actor.Setup;
using DistGrad.Distributed.Downing;
using DistGrad.Distributed.Security;

namespace DistGrad.Distributed.Config;

/// <summary>Creates a node's ActorSystem from <see cref="ClusterConfig"/>'s configuration.</summary>
public static class NodeSystem
{
    /// <summary>
    /// The system named <see cref="ClusterConfig.SystemName"/>, secured with <paramref name="tls"/> when given (build
    /// <paramref name="config"/> with secure: true then), downing members whose process is gone (<see cref="DeadNodeDowning"/>).
    /// </summary>
    public static ActorSystem Create(Akka.Configuration.Config config, NodeCertificates? tls)
    {
        var setup = NodeTls.Apply(ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config)), tls);
        var system = ActorSystem.Create(ClusterConfig.SystemName, setup);
        system.ActorOf(DeadNodeDowning.Props(), DeadNodeDowning.Name);
        return system;
    }
}
