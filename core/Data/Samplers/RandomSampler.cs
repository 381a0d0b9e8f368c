namespace DistGrad.Data;

/// <summary>
/// Visits every index once per epoch in a fresh random order drawn from a generator as the epoch begins
/// (PyTorch's RandomSampler without replacement). The same seed gives the same epochs.
/// </summary>
/// <remarks>
/// Its state holds the generator's state when taken, so restoring it also restores the generator: with
/// the default generator, whatever else draws from it (dropout, initialisation) continues as it would
/// have in the uninterrupted run.
/// </remarks>
public sealed class RandomSampler : Sampler
{
    private readonly Generator _generator;
    private byte[]? _orderGeneratorState;

    /// <param name="datasetCount">Number of samples.</param>
    /// <param name="generator">Source of the permutations; <see cref="Generator.Default"/> when null.</param>
    public RandomSampler(int datasetCount, Generator? generator = null)
        : base(datasetCount)
    {
        _generator = generator ?? Generator.Default;
    }

    public RandomSampler(Dataset dataset, Generator? generator = null)
        : this(dataset.Count, generator)
    {
    }

    public override int Count => DatasetCount;

    /// <summary>The generator the permutations come from.</summary>
    public Generator Generator => _generator;

    protected override int[] BeginEpoch()
    {
        // Keep where this epoch's permutation starts: a state taken mid-epoch rebuilds it from there.
        _orderGeneratorState = _generator.GetState();
        return Permutation.Draw(DatasetCount, _generator);
    }

    protected override int[] OrderOf(SamplerState state)
    {
        if (state.OrderGeneratorState == null)
        {
            throw new ArgumentException("a RandomSampler state taken mid-epoch needs OrderGeneratorState", nameof(state));
        }

        _orderGeneratorState = state.OrderGeneratorState;
        var replay = new Generator();
        replay.SetState(state.OrderGeneratorState);
        return Permutation.Draw(DatasetCount, replay);
    }

    protected override SamplerState SaveState(SamplerState state) => state with
    {
        GeneratorState = _generator.GetState(),
        OrderGeneratorState = state.Position > 0 ? _orderGeneratorState : null,
    };

    protected override void RestoreState(SamplerState state)
    {
        if (state.GeneratorState == null)
        {
            throw new ArgumentException("a RandomSampler state needs GeneratorState", nameof(state));
        }

        _generator.SetState(state.GeneratorState);
    }
}
