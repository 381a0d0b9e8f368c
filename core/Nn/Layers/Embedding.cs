namespace DistGrad.Nn;

/// <summary>A lookup table of <c>numEmbeddings</c> vectors of size <c>embeddingDim</c>, initialised N(0, 1).</summary>
public sealed class Embedding : Module
{
    public Embedding(int numEmbeddings, int embeddingDim, Generator? generator = null)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
        {
            throw new ArgumentException($"Embedding needs positive sizes, got numEmbeddings={numEmbeddings}, embeddingDim={embeddingDim}");
        }

        (NumEmbeddings, EmbeddingDim) = (numEmbeddings, embeddingDim);
        Weight = RegisterParameter("weight", Tensor.Empty([numEmbeddings, embeddingDim]))!;
        Init.Normal(Weight, generator: generator);
    }

    public int NumEmbeddings { get; }

    public int EmbeddingDim { get; }

    public Tensor Weight { get; }

    /// <summary>Int64 indices of any shape → [..., embeddingDim].</summary>
    protected override Tensor Compute(Tensor input) => Tensor.Embedding(Weight, input);

    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}";
}
