namespace DistGrad.Distributed.Pipeline;

/// <summary>The values of <see cref="TimelineEvent.Category"/>.</summary>
public static class TimelineCategories
{
    /// <summary>A stage's forward of one micro-batch, named "F{m}".</summary>
    public const string Forward = "forward";

    /// <summary>A stage's backward of one micro-batch, named "B{m}".</summary>
    public const string Backward = "backward";

    /// <summary>Sending an activation or gradient, named e.g. "send act 3" or "send grad 3".</summary>
    public const string Send = "send";

    /// <summary>Waiting for an activation or gradient, named e.g. "recv act 3" or "recv grad 3".</summary>
    public const string Recv = "recv";

    /// <summary>The gradient pipeline after the last micro-batch, named "gradients".</summary>
    public const string Gradients = "gradients";

    /// <summary>Whether the event is a forward or a backward: the work the bubble fraction measures.</summary>
    public static bool IsCompute(string category) => category is Forward or Backward;
}
