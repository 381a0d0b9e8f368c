using DistGrad.Distributed.Pipeline;

namespace DistGrad.Distributed.Training;

/// <summary>Where one worker sits in its job and what its shard needs to know to run a step.</summary>
/// <param name="Rank">The worker's job rank (replica · S + stage).</param>
/// <param name="Replica">Its replica (index in its data-parallel group).</param>
/// <param name="Stage">Its pipeline stage.</param>
/// <param name="Stages">Pipeline stages per replica.</param>
/// <param name="Rounds">Accumulation rounds: the schedule runs this many times before the gradient processors.</param>
/// <param name="Device">Where the shard's parameters live and its kernels run.</param>
internal sealed record TrainerShape(int Rank, int Replica, int Stage, int Stages, int Rounds, Device Device)
{
    public bool IsFirstStage => Stage == 0;

    public bool IsLastStage => Stage == Stages - 1;
}
