namespace DistGrad.Distributed.Gradients;

/// <summary>Clamps every gradient element into [-clipValue, clipValue] (clip_grad_value_).</summary>
public sealed class ClipGradientValues : IGradientProcessor
{
    public ClipGradientValues(double clipValue)
    {
        if (double.IsNaN(clipValue) || clipValue <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be a positive number");
        }

        ClipValue = clipValue;
    }

    public double ClipValue { get; }

    public string Name => $"ValueClip({ClipValue})";

    public void Run(GradientContext context) =>
        ClipGrad.Value(context.Parameters.Select(p => p.Parameter), ClipValue);
}
