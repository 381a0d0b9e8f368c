namespace DistGrad.Distributed.Messages;

/// <summary>
/// Marks DistGrad's control messages: small records bound to Hyperion in the cluster configuration.
/// None carries tensor data; gradients and activations travel on the data plane. Each protocol has its
/// messages in one file: coordinator ↔ host (HostProtocol.cs), coordinator ↔ worker (WorkerProtocol.cs),
/// coordinator ↔ standby (StandbyProtocol.cs).
/// </summary>
public interface IControlMessage;
