using System.Buffers.Binary;
using DistGrad.Distributed.DataPlane;

namespace DistGrad.Distributed.Tests.DataPlane;

/// <summary>
/// The data plane's sealed records after the TLS handshake: what is sent arrives, and a record changed, reordered,
/// cut short or announcing more than a record may hold breaks the connection with the reason.
/// </summary>
[Trait("Category", "Security")]
public class AeadStreamTests
{
    private static readonly byte[] KeyA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();

    [Fact]
    public async Task Bytes_sealed_in_records_arrive_whole_in_reads_of_any_size()
    {
        var payload = Enumerable.Range(0, AeadStream.MaxRecord * 3 + 5).Select(i => (byte)(i * 31)).ToArray();
        var wire = await Seal(payload, payload.AsMemory(0, 7));

        Assert.Equal(payload.Length + 7 + (4 * (4 + 16)) + (4 + 16), wire.Length);
        await using var reader = Reader(wire);
        var received = new byte[payload.Length + 7];
        var offset = 0;
        while (offset < received.Length)
        {
            var n = await reader.ReadAsync(received.AsMemory(offset, Math.Min(1000, received.Length - offset)));
            Assert.True(n > 0, $"the stream ended at byte {offset}");
            offset += n;
        }

        Assert.Equal([.. payload, .. payload.AsSpan(0, 7)], received);
        Assert.Equal(0, await reader.ReadAsync(new byte[1]));
    }

    [Fact]
    public async Task A_changed_byte_fails_the_record_s_tag()
    {
        var wire = await Seal(new byte[1000]);
        wire[4 + 500] ^= 1;

        var error = await Assert.ThrowsAsync<IOException>(() => ReadAll(wire));
        Assert.Contains("record 0 failed its authentication tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_swapped_on_the_way_fail_even_though_each_is_intact()
    {
        var wire = await Seal(Enumerable.Repeat((byte)1, 100).ToArray(), Enumerable.Repeat((byte)2, 100).ToArray());
        const int record = 4 + 100 + 16;
        byte[] swapped = [.. wire.AsSpan(record, record), .. wire.AsSpan(0, record)];

        var error = await Assert.ThrowsAsync<IOException>(() => ReadAll(swapped));
        Assert.Contains("out of order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_announcing_more_than_a_record_holds_is_refused_before_it_is_read()
    {
        var wire = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(wire, 1 << 30);

        var error = await Assert.ThrowsAsync<IOException>(() => ReadAll(wire));
        Assert.Contains($"announced {1 << 30} bytes (at most {AeadStream.MaxRecord})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_cut_short_says_so()
    {
        var wire = await Seal(new byte[1000]);

        var error = await Assert.ThrowsAsync<IOException>(() => ReadAll(wire[..600]));
        Assert.Contains("ended inside a record", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_with_the_other_direction_s_key_cannot_open_the_records()
    {
        var wire = await Seal(new byte[10]);
        await using var wrongKey = new AeadStream(new MemoryStream(wire), KeyA, KeyB);

        await Assert.ThrowsAsync<IOException>(async () => await wrongKey.ReadExactlyAsync(new byte[10]));
    }

    /// <summary>What a sender sealing with key A puts on the wire for <paramref name="writes"/>.</summary>
    private static async Task<byte[]> Seal(params ReadOnlyMemory<byte>[] writes)
    {
        var wire = new MemoryStream();
        await using (var writer = new AeadStream(wire, KeyA, KeyB))
        {
            foreach (var w in writes)
            {
                await writer.WriteAsync(w);
            }

            return wire.ToArray();
        }
    }

    /// <summary>The receiving end: it opens key A's records.</summary>
    private static AeadStream Reader(byte[] wire) => new(new MemoryStream(wire), KeyB, KeyA);

    private static async Task ReadAll(byte[] wire)
    {
        await using var reader = Reader(wire);
        var buffer = new byte[4096];
        while (await reader.ReadAsync(buffer) > 0)
        {
        }
    }
}
