using System.Globalization;

namespace DistGrad.Distributed.DataPlane;

/// <summary>
/// Builds the exception messages every transport uses, so that a failed step reads the same whether it
/// ran in memory or over TCP: who waited, for which tag, from which peer.
/// </summary>
internal static class TransportErrors
{
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static TimeoutException ReceiveTimeout(int rank, int peer, long tag, TimeSpan timeout) =>
        new($"rank {rank} waited {Seconds(timeout)} s for tag {tag} from rank {peer}");

    public static TimeoutException SendTimeout(int rank, int peer, long tag, TimeSpan timeout) =>
        new($"rank {rank} waited {Seconds(timeout)} s sending tag {tag} to rank {peer}");

    public static InvalidDataException LengthMismatch(int rank, int peer, long tag, int expected, int actual) =>
        new($"rank {rank} expected {expected} bytes for tag {tag} from rank {peer}, but rank {peer} sent {actual} bytes");

    public static IOException PeerLost(int rank, int peer, long tag, Exception reason) =>
        new($"rank {rank} lost rank {peer} while waiting for tag {tag}: {reason.Message}", reason);

    public static IOException SendFailed(int rank, int peer, long tag, Exception reason) =>
        new($"rank {rank} could not send tag {tag} to rank {peer}: {reason.Message}", reason);

    public static void CheckPeer(int rank, int worldSize, int peer)
    {
        if (peer < 0 || peer >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(peer), peer, $"rank {rank}: peer must be in [0, {worldSize})");
        }

        if (peer == rank)
        {
            throw new ArgumentException($"rank {rank} cannot send to or receive from itself", nameof(peer));
        }
    }
}
