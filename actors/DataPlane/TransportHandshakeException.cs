namespace DistGrad.Distributed.DataPlane;

/// <summary>A peer refused to join this rank's mesh (another job, an unexpected rank); the message says why.</summary>
public sealed class TransportHandshakeException(string message) : IOException(message)
{
}
