using System.Collections;

namespace DistGrad.Data;

/// <summary>
/// Decides which sample indices an epoch visits and in what order (PyTorch's Sampler), and remembers
/// how far the current epoch has got, so a checkpoint can resume mid-epoch.
/// </summary>
/// <remarks>
/// Each enumeration is one pass. A pass normally starts a new epoch, as each <c>iter(loader)</c> does in
/// PyTorch, even when an earlier pass stopped early. After <see cref="SetState"/> restores a
/// mid-epoch state, the next pass instead yields the rest of that epoch, and the passes after it are the
/// ones an uninterrupted run would have made. <see cref="Position"/> counts the indices already handed
/// out, so a state taken while a <see cref="DataLoader"/> batch is being used resumes after that batch.
/// One pass at a time: changing the state during a pass makes that pass throw.
/// </remarks>
public abstract class Sampler : IEnumerable<int>
{
    private int[]? _order;
    private bool _resumePending;
    private int _generation;

    protected Sampler(int datasetCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(datasetCount);
        DatasetCount = datasetCount;
    }

    /// <summary>Number of samples in the dataset the indices point into.</summary>
    public int DatasetCount { get; }

    /// <summary>Number of indices one epoch yields.</summary>
    public abstract int Count { get; }

    /// <summary>The epoch in progress, or the next one when none is.</summary>
    public int Epoch { get; private set; }

    /// <summary>Indices of the current epoch already handed out (0 between epochs).</summary>
    public int Position { get; private set; }

    /// <summary>Whether finishing an epoch moves to the next one (false where the user sets the epoch).</summary>
    protected virtual bool AdvancesEpoch => true;

    public IEnumerator<int> GetEnumerator() => Pass();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Where this sampler stands, to pass to <see cref="SetState"/> later (also in another process).</summary>
    public SamplerState GetState() =>
        SaveState(new SamplerState(GetType().Name, DatasetCount, Epoch, Position));

    /// <summary>Puts the sampler back where <see cref="GetState"/> found it.</summary>
    public void SetState(SamplerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Sampler != GetType().Name)
        {
            throw new ArgumentException($"the state was saved by a {state.Sampler}, not a {GetType().Name}", nameof(state));
        }

        if (state.DatasetCount != DatasetCount)
        {
            throw new ArgumentException($"the state was saved for a dataset of {state.DatasetCount} samples, but this sampler's has {DatasetCount}", nameof(state));
        }

        if (state.Epoch < 0 || state.Position < 0 || state.Position >= Math.Max(Count, 1))
        {
            throw new ArgumentException($"the state's epoch {state.Epoch} and position {state.Position} are out of range (an epoch has {Count} indices)", nameof(state));
        }

        var order = state.Position > 0 ? OrderOf(state) : null;
        RestoreState(state);
        Epoch = state.Epoch;
        Position = state.Position;
        _order = order;
        _resumePending = state.Position > 0;
        _generation++;
    }

    /// <summary>The indices of the epoch <see cref="Epoch"/>, drawn as it begins.</summary>
    protected abstract int[] BeginEpoch();

    /// <summary>The order of the epoch a mid-epoch <paramref name="state"/> was taken in, rebuilt exactly.</summary>
    protected abstract int[] OrderOf(SamplerState state);

    /// <summary>Adds what this kind of sampler needs to resume (a generator's state, say).</summary>
    protected virtual SamplerState SaveState(SamplerState state) => state;

    /// <summary>Restores what <see cref="SaveState"/> added (after <see cref="OrderOf"/> accepted the state).</summary>
    protected virtual void RestoreState(SamplerState state)
    {
    }

    /// <summary>Moves to <paramref name="epoch"/>, dropping any epoch in progress or pending resume.</summary>
    protected void MoveToEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Epoch = epoch;
        Position = 0;
        _order = null;
        _resumePending = false;
        _generation++;
    }

    private IEnumerator<int> Pass()
    {
        if (!_resumePending)
        {
            if (_order != null)
            {
                // An earlier pass stopped part-way: like a fresh iter() in PyTorch, start the next epoch.
                FinishEpoch();
            }

            _order = BeginEpoch();
            Position = 0;
            if (_order.Length != Count)
            {
                throw new InvalidOperationException($"{GetType().Name} says an epoch has {Count} indices but its order has {_order.Length}");
            }
        }

        _resumePending = false;
        var order = _order!;
        var generation = ++_generation;
        for (var i = Position; i < order.Length; i++)
        {
            if (generation != _generation)
            {
                throw new InvalidOperationException("the sampler's state changed (SetState, SetEpoch or another pass) while a pass was running; start a new pass");
            }

            // Advance before handing the index out, so a state taken now counts it as used.
            Position = i + 1;
            if (Position == order.Length)
            {
                FinishEpoch();
            }

            yield return order[i];
        }
    }

    private void FinishEpoch()
    {
        if (AdvancesEpoch)
        {
            Epoch++;
        }

        Position = 0;
        _order = null;
    }
}
