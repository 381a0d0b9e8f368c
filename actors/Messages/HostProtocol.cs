namespace DistGrad.Distributed.Messages;

// Coordinator ↔ worker host (/user/workers on every worker node): the slots a node offers.

/// <summary>Coordinator → host: how many workers can you run?</summary>
public sealed record QueryCapacity(string JobId) : IControlMessage;

/// <summary>Host → coordinator: the worker slots this node offers (one per device).</summary>
public sealed record HostCapacity(string JobId, int Slots, string Devices) : IControlMessage;
