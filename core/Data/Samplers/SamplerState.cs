namespace DistGrad.Data;

/// <summary>
/// A sampler's position, as plain data (serialisable with System.Text.Json): the sampler kind and the
/// dataset size it was taken for (checked on restore), the epoch, the indices of that epoch already
/// used, and, for a shuffling sampler, its generator now and where the epoch's permutation was drawn.
/// </summary>
public sealed record SamplerState(
    string Sampler,
    int DatasetCount,
    int Epoch,
    int Position,
    byte[]? GeneratorState = null,
    byte[]? OrderGeneratorState = null);
