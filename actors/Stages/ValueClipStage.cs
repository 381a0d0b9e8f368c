namespace DistGrad.Actors.Stages;

/// <summary>Clamps every gradient element into [-clipValue, clipValue] (clip_grad_value_).</summary>
public sealed class ValueClipStage : IGradientStage
{
    public ValueClipStage(double clipValue)
    {
        if (double.IsNaN(clipValue) || clipValue <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be a positive number");
        }

        ClipValue = clipValue;
    }

    public double ClipValue { get; }

    public string Name => $"ValueClip({ClipValue})";

    public void Run(GradientStageContext context) =>
        ClipGrad.Value(context.Parameters.Select(p => p.Parameter), ClipValue);
}
