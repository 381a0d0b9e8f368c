using DistGrad.Distributed.DataPlane;
using static DistGrad.Distributed.Tests.DataPlane.TransportGroups;

namespace DistGrad.Distributed.Tests.DataPlane;

/// <summary>The semantics both transports promise: matching by sender and tag, buffering, length checks, failures.</summary>
public class TransportTests
{
    public static TheoryData<Kind> Kinds => [Kind.InMemory, Kind.Tcp];

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_message_sent_before_its_receive_waits_in_the_transport(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        var sent = Pattern(1000, 1);
        await t[0].SendAsync(1, 7, sent);
        await Task.Delay(50);
        var got = new byte[1000];
        await t[1].ReceiveAsync(0, 7, got);
        Assert.Equal(sent, got);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_receive_posted_first_gets_the_bytes_when_they_come(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        var got = new byte[5000];
        var receive = t[1].ReceiveAsync(0, 7, got).AsTask();
        await Task.Delay(50);
        Assert.False(receive.IsCompleted);
        var sent = Pattern(5000, 2);
        await t[0].SendAsync(1, 7, sent);
        await receive;
        Assert.Equal(sent, got);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Messages_are_matched_by_tag_whatever_order_they_arrive_in(Kind kind)
    {
        var t = await CreateAsync(kind, 3);
        var a = Pattern(100, 1);
        var b = Pattern(200, 2);
        var c = Pattern(300, 3);
        var fromTwo = Pattern(100, 4);
        var second = new byte[200];
        var pending = t[1].ReceiveAsync(0, 2, second).AsTask();
        await t[0].SendAsync(1, 3, c);
        await t[2].SendAsync(1, 1, fromTwo);
        await t[0].SendAsync(1, 1, a);
        await t[0].SendAsync(1, 2, b);
        var first = new byte[100];
        var third = new byte[300];
        var other = new byte[100];
        await t[1].ReceiveAsync(0, 3, third);
        await t[1].ReceiveAsync(0, 1, first);
        await t[1].ReceiveAsync(2, 1, other);
        await pending;
        Assert.Equal(a, first);
        Assert.Equal(b, second);
        Assert.Equal(c, third);
        Assert.Equal(fromTwo, other);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Messages_with_the_same_tag_arrive_first_in_first_out(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        for (byte i = 0; i < 5; i++)
        {
            await t[0].SendAsync(1, 9, new[] { i });
        }

        for (byte i = 0; i < 5; i++)
        {
            var got = new byte[1];
            await t[1].ReceiveAsync(0, 9, got);
            Assert.Equal(i, got[0]);
        }

        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Empty_messages_are_delivered(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        await t[0].SendAsync(1, 4, ReadOnlyMemory<byte>.Empty);
        await t[1].ReceiveAsync(0, 4, Memory<byte>.Empty);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_receive_of_the_wrong_length_names_peer_tag_and_lengths(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        await t[0].SendAsync(1, 12, new byte[10]);
        var buffered = await Assert.ThrowsAsync<InvalidDataException>(async () => await t[1].ReceiveAsync(0, 12, new byte[8]));
        Assert.Contains("rank 1 expected 8 bytes for tag 12 from rank 0", buffered.Message);
        Assert.Contains("sent 10 bytes", buffered.Message);

        var posted = t[1].ReceiveAsync(0, 13, new byte[4]).AsTask();
        await t[0].SendAsync(1, 13, new byte[6]);
        var streamed = await Assert.ThrowsAsync<InvalidDataException>(() => posted);
        Assert.Contains("tag 13 from rank 0", streamed.Message);

        // The connection is still usable afterwards.
        await t[0].SendAsync(1, 14, new byte[3]);
        await t[1].ReceiveAsync(0, 14, new byte[3]);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_receive_that_times_out_names_the_peer_and_tag(Kind kind)
    {
        var t = await CreateAsync(kind, 2, TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<TimeoutException>(async () => await t[1].ReceiveAsync(0, 12, new byte[4]));
        Assert.Equal("rank 1 waited 0.3 s for tag 12 from rank 0", e.Message);

        // A message that comes after the timeout is kept for a later receive, not written into the abandoned buffer.
        await t[0].SendAsync(1, 12, new byte[] { 1, 2, 3, 4 });
        var got = new byte[4];
        await t[1].ReceiveAsync(0, 12, got);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, got);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Cancelling_a_receive_throws_OperationCanceledException(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await t[1].ReceiveAsync(0, 1, new byte[4], cts.Token));
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_disposed_peer_fails_pending_and_later_receives_with_its_rank_named(Kind kind)
    {
        var t = await CreateAsync(kind, 3);
        await t[0].SendAsync(2, 5, new byte[] { 42 });
        var pending = t[2].ReceiveAsync(0, 6, new byte[4]).AsTask();
        await Task.Delay(50);
        await t[0].DisposeAsync();

        var e = await Assert.ThrowsAsync<IOException>(() => pending.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("rank 0", e.Message);
        Assert.Contains("tag 6", e.Message);
        var later = await Assert.ThrowsAsync<IOException>(async () => await t[2].ReceiveAsync(0, 7, new byte[4]));
        Assert.Contains("rank 0", later.Message);

        // What arrived before the peer left can still be received, and other peers are unaffected.
        var early = new byte[1];
        await t[2].ReceiveAsync(0, 5, early);
        Assert.Equal(42, early[0]);
        await t[1].SendAsync(2, 8, new byte[2]);
        await t[2].ReceiveAsync(1, 8, new byte[2]);
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sixteen_mebibytes_travel_both_ways_at_once(Kind kind)
    {
        var t = await CreateAsync(kind, 2, TimeSpan.FromSeconds(10));
        const int Length = 16 << 20;
        var a = Pattern(Length, 1);
        var b = Pattern(Length, 2);
        var gotA = new byte[Length];
        var gotB = new byte[Length];
        await Task.WhenAll(
            t[0].SendAsync(1, 1, a).AsTask(),
            t[1].SendAsync(0, 1, b).AsTask(),
            t[1].ReceiveAsync(0, 1, gotA).AsTask(),
            t[0].ReceiveAsync(1, 1, gotB).AsTask());
        Assert.True(a.AsSpan().SequenceEqual(gotA));
        Assert.True(b.AsSpan().SequenceEqual(gotB));
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Sending_to_oneself_or_outside_the_world_is_an_argument_error(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        await Assert.ThrowsAsync<ArgumentException>(async () => await t[0].SendAsync(0, 1, new byte[1]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await t[0].ReceiveAsync(2, 1, new byte[1]));
        await DisposeAllAsync(t);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_disposed_transport_refuses_further_use(Kind kind)
    {
        var t = await CreateAsync(kind, 2);
        await DisposeAllAsync(t);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await t[0].SendAsync(1, 1, new byte[1]));
        await t[0].DisposeAsync();
    }
}
