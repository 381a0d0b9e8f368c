namespace DistGrad.Distributed.Pipeline;

/// <summary>The schedules a job can name: GPipe and 1F1B (PipeDream-flush, Megatron's non-interleaved schedule).</summary>
public static class PipelineSchedules
{
    private const string GPipeName = "gpipe";
    private const string OneFOneBName = "1f1b";

    /// <summary>The names <see cref="For"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { GPipeName, OneFOneBName }.AsReadOnly();

    /// <summary>
    /// Every stage runs all forwards, then all backwards: simple, but each stage holds the activations of all
    /// <paramref name="microBatches"/> micro-batches at once.
    /// </summary>
    public static PipelineSchedule GPipe(int stages, int microBatches)
    {
        ThrowIfOutOfRange(stages, microBatches);
        var actions = new IReadOnlyList<PipelineAction>[stages];
        for (var stage = 0; stage < stages; stage++)
        {
            var list = new StageActionList(stage, stages);
            for (var m = 0; m < microBatches; m++)
            {
                list.AddForward(m);
            }

            // Backwards run last micro-batch first, as in the GPipe paper and torchgpipe: the last stage has just
            // finished Forward(M-1), so Backward(M-1) can start at once on the freshest activations, and the
            // gradients then flow upstream in the order the stages can consume them without waiting.
            for (var m = microBatches - 1; m >= 0; m--)
            {
                list.AddBackward(m);
            }

            actions[stage] = list.Finish();
        }

        return new(GPipeName, stages, microBatches, actions.AsReadOnly());
    }

    /// <summary>
    /// Stage s runs min(S-s-1, M) warm-up forwards, then alternates one forward and one backward, then runs
    /// the remaining backwards; so it never holds more than min(S-s, M) micro-batches' activations.
    /// </summary>
    public static PipelineSchedule OneFOneB(int stages, int microBatches)
    {
        ThrowIfOutOfRange(stages, microBatches);
        var actions = new IReadOnlyList<PipelineAction>[stages];
        for (var stage = 0; stage < stages; stage++)
        {
            var list = new StageActionList(stage, stages);
            var warmUp = Math.Min(stages - stage - 1, microBatches);
            for (var m = 0; m < warmUp; m++)
            {
                list.AddForward(m);
            }

            for (var m = warmUp; m < microBatches; m++)
            {
                list.AddForward(m);
                list.AddBackward(m - warmUp);
            }

            for (var m = microBatches - warmUp; m < microBatches; m++)
            {
                list.AddBackward(m);
            }

            actions[stage] = list.Finish();
        }

        return new(OneFOneBName, stages, microBatches, actions.AsReadOnly());
    }

    /// <summary>The schedule called <paramref name="name"/> (case-insensitive), one of <see cref="Names"/>.</summary>
    public static PipelineSchedule For(string name, int stages, int microBatches)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            GPipeName => GPipe(stages, microBatches),
            OneFOneBName => OneFOneB(stages, microBatches),
            _ => throw new ArgumentException(
                $"Unknown pipeline schedule '{name}'; known schedules: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static void ThrowIfOutOfRange(int stages, int microBatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
    }
}
