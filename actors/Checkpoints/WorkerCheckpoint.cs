namespace DistGrad.Distributed.Checkpoints;

/// <summary>
/// What one worker saves: its parameters by module path, its optimizer's <c>StateDict()</c>, and metadata
/// strings (e.g. "step", "samples_seen", "rng" = base64 of <see cref="Generator.GetState"/>, "rank", "stage", "replica").
/// </summary>
public sealed record WorkerCheckpoint(
    long Step,
    IReadOnlyDictionary<string, Tensor> Parameters,
    IReadOnlyDictionary<string, Tensor> OptimizerState,
    IReadOnlyDictionary<string, string> Metadata);
