namespace DistGrad.Nn;

/// <summary>
/// Batch normalisation over [N, C] or [N, C, L]: in training, batch statistics normalise (biased variance)
/// and update the running estimates (unbiased variance, momentum); in eval, the running estimates are used.
/// </summary>
public sealed class BatchNorm1d : Module
{
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        if (numFeatures <= 0)
        {
            throw new ArgumentException($"BatchNorm1d needs a positive number of features, got {numFeatures}");
        }

        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        Weight = RegisterParameter("weight", affine ? Tensor.Ones([numFeatures]) : null);
        Bias = RegisterParameter("bias", affine ? Tensor.Zeros([numFeatures]) : null);
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures]));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures]));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0L));
        }
    }

    public int NumFeatures { get; }

    public double Eps { get; }

    public double Momentum { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public Tensor? RunningMean { get; }

    public Tensor? RunningVar { get; }

    public Tensor? NumBatchesTracked { get; }

    protected override Tensor Compute(Tensor input)
    {
        if (input.Dim is not (2 or 3) || input.Size(1) != NumFeatures)
        {
            throw new ArgumentException($"BatchNorm1d({NumFeatures}) expects input of shape [N, {NumFeatures}] or [N, {NumFeatures}, L], got [{string.Join(", ", input.Shape)}]");
        }

        // Statistics are per channel: reduce over the batch (and length) dims.
        int[] dims = input.Dim == 2 ? [0] : [0, 2];
        int[] statShape = input.Dim == 2 ? [1, NumFeatures] : [1, NumFeatures, 1];
        Tensor mean, variance;
        if (IsTraining || RunningMean == null)
        {
            var count = input.Numel / NumFeatures;
            if (IsTraining && count <= 1)
            {
                throw new ArgumentException($"Expected more than 1 value per channel when training, got input size [{string.Join(", ", input.Shape)}]");
            }

            mean = input.Mean(dims, keepDim: true);
            variance = (input - mean).Pow(2).Mean(dims, keepDim: true);
            if (IsTraining && RunningMean != null)
            {
                UpdateRunningStatistics(mean, variance, count);
            }
        }
        else
        {
            mean = RunningMean.Reshape(statShape);
            variance = RunningVar!.Reshape(statShape);
        }

        var normalized = (input - mean) / (variance + Eps).Sqrt();
        return Weight == null ? normalized : (normalized * Weight.Reshape(statShape)) + Bias!.Reshape(statShape);
    }

    private void UpdateRunningStatistics(Tensor mean, Tensor variance, int count)
    {
        using (Autograd.NoGrad())
        {
            var unbiased = variance.Detach().Reshape(NumFeatures) * (count / (double)(count - 1));
            RunningMean!.MulInPlace(1 - Momentum).AddInPlace(mean.Detach().Reshape(NumFeatures) * Momentum);
            RunningVar!.MulInPlace(1 - Momentum).AddInPlace(unbiased * Momentum);
            NumBatchesTracked!.AddInPlace(1);
        }
    }

    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={PyFormat.Float(Eps)}, momentum={PyFormat.Float(Momentum)}, affine={PyFormat.Bool(Weight != null)}, track_running_stats={PyFormat.Bool(RunningMean != null)}";
}
