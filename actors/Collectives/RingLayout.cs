namespace DistGrad.Distributed.Collectives;

/// <summary>
/// How a buffer of <c>length</c> elements is cut for a ring of <c>members</c>: one chunk per member (sizes
/// differ by at most one element), each chunk cut further into pieces that travel as separate messages so
/// that reducing one piece overlaps the arrival of the next.
/// </summary>
internal readonly struct RingLayout(int length, int members, int pieceLength)
{
    public int PieceLength => pieceLength;

    public int ChunkStart(int chunk) => (chunk * (length / members)) + Math.Min(chunk, length % members);

    public int ChunkLength(int chunk) => (length / members) + (chunk < length % members ? 1 : 0);

    public int Pieces(int chunk) => (ChunkLength(chunk) + pieceLength - 1) / pieceLength;

    /// <summary>Chunk 0 is the longest, so its piece count bounds every chunk's.</summary>
    public int MaxPieces => Pieces(0);

    public (int Start, int Length) Piece(int chunk, int piece)
    {
        int offset = piece * pieceLength;
        return (ChunkStart(chunk) + offset, Math.Min(pieceLength, ChunkLength(chunk) - offset));
    }
}
