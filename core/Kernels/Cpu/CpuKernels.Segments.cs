namespace DistGrad.Kernels.Cpu;

/// <summary>
/// Runs an elementwise body over the rows of strided operands, on all cores when the op is large. Chunks
/// are whole rows when there are enough of them (a broadcast [4096, 256] + [256] is 4096 contiguous
/// rows), else column ranges of each row (a contiguous tensor is one long row). Every output element is
/// written by exactly one chunk with the same arithmetic, so splitting never changes a result.
/// </summary>
internal sealed partial class CpuKernels
{
    /// <summary>
    /// Ops of cheap elements (add, mul, relu: a few bytes moved per nanosecond) split across cores only from
    /// this many elements. Measured here on 2 shared cores, 1M-float adds and broadcast adds ran 1.3–4× slower
    /// split than on one core (the second core is often busy, and the result's allocation, not the loop,
    /// dominates); only operands well past L3 gain from a second core's bandwidth.
    /// </summary>
    private const long ParallelCheapThreshold = 1 << 22;

    /// <summary>Ops of costly elements (exp, log, tanh, pow: tens of cycles each) split from this many elements.</summary>
    private const long ParallelCostlyThreshold = 1 << 14;

    /// <summary>
    /// The body of a segment: the operands' element offsets at the segment start (indexed as the cursor's
    /// operands), where its output begins in a contiguous result, and how many elements it spans.
    /// </summary>
    private delegate void SegmentBody(ReadOnlySpan<int> offsets, int outputStart, int length);

    /// <summary>Calls <paramref name="body"/> for every row segment of the cursor's operands.</summary>
    /// <param name="cursor">A fresh cursor over the operands (used by the first chunk).</param>
    /// <param name="newCursor">Makes another cursor over the same operands, for the other chunks.</param>
    /// <param name="body">The work on one segment.</param>
    /// <param name="costly">Whether each element costs many cycles (a transcendental), so smaller ops split.</param>
    private static void ForEachSegment(RowCursor cursor, Func<RowCursor> newCursor, SegmentBody body, bool costly)
    {
        var (rows, n) = (cursor.Rows, cursor.RowLength);
        var cores = CpuThreads.Available;
        var threshold = costly ? ParallelCostlyThreshold : ParallelCheapThreshold;
        var chunks = (long)rows * n >= threshold && cores > 1 ? cores : 1;
        if (chunks == 1)
        {
            RowChunk(cursor, body, 0, rows, n);
            return;
        }

        if (rows >= chunks)
        {
            CpuThreads.For(0, chunks, c => RowChunk(c == 0 ? cursor : newCursor(), body, (int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks), n));
            return;
        }

        CpuThreads.For(0, chunks, c =>
        {
            var own = c == 0 ? cursor : newCursor();
            var from = (int)((long)n * c / chunks);
            var to = (int)((long)n * (c + 1) / chunks);
            Span<int> offsets = stackalloc int[own.Offsets.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var o = 0; o < offsets.Length; o++)
                {
                    offsets[o] = own.Offsets[o] + (from * own.InnerStrides[o]);
                }

                body(offsets, (r * n) + from, to - from);
                own.Advance();
            }
        });
    }

    private static void RowChunk(RowCursor cursor, SegmentBody body, int start, int end, int n)
    {
        if (start > 0)
        {
            cursor.Seek(start);
        }

        for (var r = start; r < end; r++)
        {
            body(cursor.Offsets, r * n, n);
            cursor.Advance();
        }
    }
}
