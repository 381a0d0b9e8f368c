namespace DistGrad;

/// <summary>Grad mode, per thread as in PyTorch: whether operations record graph nodes.</summary>
public static partial class Autograd
{
    [ThreadStatic]
    private static bool t_gradDisabled;

    /// <summary>Whether operations on this thread record graph nodes.</summary>
    public static bool IsGradEnabled => !t_gradDisabled;

    /// <summary>Turns recording on or off on this thread until set back.</summary>
    public static void SetGradEnabled(bool enabled) => t_gradDisabled = !enabled;

    /// <summary>Records nothing until disposed (PyTorch's torch.no_grad()).</summary>
    public static IDisposable NoGrad() => new GradModeScope(false);

    /// <summary>Records again inside a NoGrad scope until disposed (torch.enable_grad()).</summary>
    public static IDisposable EnableGrad() => new GradModeScope(true);

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public GradModeScope(bool enabled)
        {
            _previous = IsGradEnabled;
            SetGradEnabled(enabled);
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            SetGradEnabled(_previous);
        }
    }
}
