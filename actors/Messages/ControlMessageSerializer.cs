using Akka.Actor;
using Akka.Serialization;

namespace DistGrad.Distributed.Messages;

/// <summary>
/// Hyperion for DistGrad's control messages, creating only <see cref="ControlMessageTypes"/>. Akka's
/// <c>HyperionSerializerSetup</c> and the HOCON <c>allowed-types</c> list do not take effect in Akka 1.5.73 with
/// Hyperion 0.12.2 (the setup never reaches the serializer; the list compares short names with full ones), so the
/// filter goes in through the settings the serializer is built with.
/// </summary>
public sealed class ControlMessageSerializer : HyperionSerializer
{
    public ControlMessageSerializer(ExtendedActorSystem system)
        : this(system, Akka.Configuration.ConfigurationFactory.Empty)
    {
    }

    public ControlMessageSerializer(ExtendedActorSystem system, Akka.Configuration.Config config)
        : base(system, Restricted(config))
    {
    }

    private static HyperionSerializerSettings Restricted(Akka.Configuration.Config config) =>
        HyperionSerializerSettings.Create(config.WithFallback(DefaultConfiguration().GetConfig("akka.actor.serialization-settings.hyperion")))
            .WithDisallowUnsafeType(true)
            .WithTypeFilter(ControlMessageTypes.Instance);
}
