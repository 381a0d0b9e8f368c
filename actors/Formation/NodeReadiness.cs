using System.Collections.Concurrent;
using Akka.Actor;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// The actors a node must have running to take work, beyond being an Up member: what <c>/ready</c> checks. A
/// worker node registers its host actor; a coordinator's node registers nothing.
/// </summary>
public sealed class NodeReadiness : IExtension
{
    private readonly ConcurrentDictionary<string, string> _required = new();

    public static NodeReadiness Get(ActorSystem system) => system.WithExtension<NodeReadiness, NodeReadinessProvider>();

    /// <summary>Ready only while the actor at <paramref name="path"/> (e.g. <c>/user/workers</c>) answers; <paramref name="what"/> names it in the reason.</summary>
    public void Require(string path, string what) => _required[path] = what;

    internal IReadOnlyDictionary<string, string> Required => _required;

    private sealed class NodeReadinessProvider : ExtensionIdProvider<NodeReadiness>
    {
        public override NodeReadiness CreateExtension(ExtendedActorSystem system) => new();
    }
}
