using Akka.Actor.Setup;
using Akka.Hosting;

namespace DistGrad.Distributed.Running;

/// <summary>Adds several ActorSystem setups to an Akka.Hosting builder at once.</summary>
internal static class AkkaHostingSetups
{
    public static AkkaConfigurationBuilder AddSetups(this AkkaConfigurationBuilder builder, IEnumerable<Setup> setups) =>
        setups.Aggregate(builder, (b, setup) => b.AddSetup(setup));
}
