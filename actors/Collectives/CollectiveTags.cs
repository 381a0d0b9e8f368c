namespace DistGrad.Distributed.Collectives;

/// <summary>
/// Packs (channel, collective sequence number, message index) into one transport tag, so that messages of
/// consecutive collectives, or of communicators sharing a transport, can never be mistaken for each other.
/// </summary>
/// <remarks>
/// Layout (the sign bit stays clear): 8 bits channel, 31 bits sequence (wraps after 2³¹ collectives, long
/// after any message of the first one is gone), 24 bits message index within the collective.
/// </remarks>
internal static class CollectiveTags
{
    public const int MaxChannel = 255;
    public const int MaxIndex = (1 << 24) - 1;

    public static long Make(int channel, long sequence, int index)
    {
        if ((uint)index > MaxIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "a collective sends at most 2^24 messages per peer; use larger pieces or a smaller buffer");
        }

        return ((long)channel << 55) | ((sequence & 0x7FFF_FFFF) << 24) | (long)index;
    }
}
