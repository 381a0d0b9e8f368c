namespace DistGrad.Data;

/// <summary>
/// Gives each of <c>numReplicas</c> workers its own slice of the dataset (PyTorch's DistributedSampler):
/// the indices, shuffled by <c>seed + epoch</c> when asked, padded by repeating them from the start
/// until every worker gets the same number (or, with <c>dropLast</c>, cut to a multiple), and rank
/// <c>r</c> takes every <c>numReplicas</c>-th index from position <c>r</c>.
/// </summary>
/// <remarks>
/// All workers must build the sampler with the same seed and call <see cref="SetEpoch"/> with the same
/// epoch so their slices partition one permutation. As in PyTorch the epoch changes only through
/// <see cref="SetEpoch"/>; without it every epoch repeats the same order. The shuffle is DistGrad's own
/// (seeded Fisher–Yates), so shuffled slices differ from PyTorch's; unshuffled ones are identical.
/// </remarks>
public sealed class DistributedSampler : Sampler
{
    public DistributedSampler(int datasetCount, int numReplicas, int rank, bool shuffle = true, long seed = 0, bool dropLast = false)
        : base(datasetCount)
    {
        if (numReplicas <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numReplicas), numReplicas, $"numReplicas should be a positive integer, but got numReplicas={numReplicas}");
        }

        if (rank < 0 || rank >= numReplicas)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Invalid rank {rank}, rank should be in the interval [0, {numReplicas - 1}]");
        }

        NumReplicas = numReplicas;
        Rank = rank;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;

        // PyTorch's ceil((n - r) / r) with dropLast and a ragged tail is n / r rounded down; else n / r rounded up.
        NumSamples = dropLast ? datasetCount / numReplicas : (datasetCount + numReplicas - 1) / numReplicas;
        TotalSize = NumSamples * numReplicas;
    }

    public int NumReplicas { get; }

    public int Rank { get; }

    public bool Shuffle { get; }

    public long Seed { get; }

    public bool DropLast { get; }

    /// <summary>Indices this rank gets per epoch.</summary>
    public int NumSamples { get; }

    /// <summary>Indices all ranks get together per epoch (padded or cut).</summary>
    public int TotalSize { get; }

    public override int Count => NumSamples;

    protected override bool AdvancesEpoch => false;

    /// <summary>
    /// Sets the epoch whose shuffle the next pass uses (PyTorch's set_epoch). Setting the epoch a
    /// restored state is in keeps its resume position; any other epoch starts from its beginning.
    /// </summary>
    public void SetEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (epoch != Epoch)
        {
            MoveToEpoch(epoch);
        }
    }

    protected override int[] BeginEpoch() => Slice(Epoch);

    protected override int[] OrderOf(SamplerState state) => Slice(state.Epoch);

    private int[] Slice(int epoch)
    {
        var all = Shuffle
            ? Permutation.Draw(DatasetCount, new Generator(Seed + epoch))
            : Enumerable.Range(0, DatasetCount).ToArray();
        var slice = new int[NumSamples];
        for (var i = 0; i < NumSamples; i++)
        {
            // Position rank + i * numReplicas of the padded list; padding repeats the list from its start.
            var padded = Rank + (i * NumReplicas);
            slice[i] = all[padded % DatasetCount];
        }

        return slice;
    }
}
