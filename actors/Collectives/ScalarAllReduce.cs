using System.Buffers.Binary;

namespace DistGrad.Distributed.Collectives;

/// <summary>
/// All-reduce of one number: every member sends its value to the group's first member, which combines
/// them in group order and sends the one result back. Two message latencies, and the same bits everywhere,
/// whatever order the values arrive in.
/// </summary>
internal static class ScalarAllReduce
{
    private const int GatherIndex = 0;
    private const int ResultIndex = 1;

    public static async Task<double> RunAsync(CollectiveCall call, double value, ReduceOp op)
    {
        int n = call.GroupSize;
        if (n == 1)
        {
            return value;
        }

        int root = call.Member(0);
        if (call.Position != 0)
        {
            byte[] mine = new byte[sizeof(double)];
            BinaryPrimitives.WriteDoubleLittleEndian(mine, value);
            byte[] result = new byte[sizeof(double)];
            await call.RunAsync(
                async () => await call.SendAsync(root, GatherIndex, mine).ConfigureAwait(false),
                async () => await call.ReceiveAsync(root, ResultIndex, result).ConfigureAwait(false)).ConfigureAwait(false);
            return BinaryPrimitives.ReadDoubleLittleEndian(result);
        }

        byte[] gathered = new byte[n * sizeof(double)];
        var receives = new Func<Task>[n - 1];
        for (int position = 1; position < n; position++)
        {
            int from = call.Member(position);
            var slot = gathered.AsMemory(position * sizeof(double), sizeof(double));
            receives[position - 1] = async () => await call.ReceiveAsync(from, GatherIndex, slot).ConfigureAwait(false);
        }

        await call.RunAsync(receives).ConfigureAwait(false);
        double total = value;
        for (int position = 1; position < n; position++)
        {
            double other = BinaryPrimitives.ReadDoubleLittleEndian(gathered.AsSpan(position * sizeof(double)));
            total = op switch
            {
                ReduceOp.Sum => total + other,
                ReduceOp.Max => Math.Max(total, other),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
            };
        }

        byte[] answer = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(answer, total);
        var sends = new Func<Task>[n - 1];
        for (int position = 1; position < n; position++)
        {
            int to = call.Member(position);
            sends[position - 1] = async () => await call.SendAsync(to, ResultIndex, answer).ConfigureAwait(false);
        }

        await call.RunAsync(sends).ConfigureAwait(false);
        return total;
    }
}
