using System.Runtime.InteropServices;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// Broadcast along a chain that starts at the root and follows the group order: the root streams the
/// buffer in pieces to its successor, and every member forwards each piece as soon as it has it. A buffer
/// of S bytes takes about S / bandwidth plus one piece per hop, instead of (n − 1)·S / bandwidth for
/// sequential sends from the root, and no member sends more than S bytes.
/// </summary>
internal static class ChainBroadcast
{
    // Large enough that per-message costs vanish next to the bytes, small enough that each hop adds little delay.
    public const int PieceBytes = 1 << 20;

    public static async Task RunAsync<T>(CollectiveCall call, Memory<T> data, int rootPosition)
        where T : unmanaged
    {
        int n = call.GroupSize;
        if (n == 1 || data.Length == 0)
        {
            return;
        }

        int size = Marshal.SizeOf<T>();
        int pieceBytes = PieceBytes / size * size;
        var bytes = ByteMemory<T>.Of(data);
        int pieces = (bytes.Length + pieceBytes - 1) / pieceBytes;
        int hop = ((call.Position - rootPosition) % n + n) % n;
        bool receives = hop > 0;
        bool forwards = hop < n - 1;
        int previous = call.Member(call.Position - 1);
        int next = call.Member(call.Position + 1);

        using var arrived = new SemaphoreSlim(0);
        var parts = new List<Func<Task>>();
        if (receives)
        {
            parts.Add(ReceiveAsync);
        }

        if (forwards)
        {
            parts.Add(SendAsync);
        }

        await call.RunAsync([.. parts]).ConfigureAwait(false);

        Memory<byte> Piece(int k) => bytes.Slice(k * pieceBytes, Math.Min(pieceBytes, bytes.Length - (k * pieceBytes)));

        async Task SendAsync()
        {
            for (int k = 0; k < pieces; k++)
            {
                if (receives)
                {
                    await arrived.WaitAsync(call.Token).ConfigureAwait(false);
                }

                await call.SendAsync(next, k, Piece(k)).ConfigureAwait(false);
            }
        }

        async Task ReceiveAsync()
        {
            // Receives go straight into the caller's buffer, so all of them may be posted at once.
            var posted = new ValueTask[pieces];
            for (int k = 0; k < pieces; k++)
            {
                posted[k] = call.ReceiveAsync(previous, k, Piece(k));
            }

            int done = 0;
            try
            {
                for (; done < pieces; done++)
                {
                    await posted[done].ConfigureAwait(false);
                    arrived.Release();
                }
            }
            finally
            {
                if (done < pieces)
                {
                    // On failure: make sure no receive still posted can write into the caller's buffer after we return.
                    call.Abort();
                    for (int k = done + 1; k < pieces; k++)
                    {
                        try
                        {
                            await posted[k].ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // The first failure is the one reported.
                        }
                    }
                }
            }
        }
    }
}
