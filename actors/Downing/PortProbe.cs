using System.Net.Sockets;

namespace DistGrad.Distributed.Downing;

/// <summary>Whether anything listens on a node's remoting port, as seen from here.</summary>
public static class PortProbe
{
    /// <summary>
    /// True only when the host answered that nothing listens on <paramref name="port"/> (connection refused: the host is
    /// up and the process is gone). A connection that succeeds, times out, or finds no route proves nothing and gives false.
    /// </summary>
    public static async Task<bool> RefusedAsync(string host, int port, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Unreachable, filtered or slow: a partition looks like this, and only the split-brain resolver may decide it.
            return false;
        }
    }
}
