using DistGrad.Nn;

namespace DistGrad.Distributed.Tests.Training;

/// <summary>Models that fail on purpose, to test how a failing stage is reported.</summary>
internal static class FailingModels
{
    /// <summary>The MLP followed by a layer that throws on its <paramref name="failingCall"/>-th forward (1-based).</summary>
    public static Sequential FailAtForward(Generator generator, int failingCall) => new(
        new Linear(784, 32, generator: generator), new ReLU(), new Linear(32, 16, generator: generator),
        new ReLU(), new Linear(16, 10, generator: generator), new ThrowOnCall(failingCall));

    public sealed class PlannedFailure(string message) : Exception(message);

    private sealed class ThrowOnCall(int failingCall) : Module
    {
        private int _calls;

        protected override Tensor Compute(Tensor input) =>
            ++_calls == failingCall ? throw new PlannedFailure($"planned failure on forward call {_calls}") : input;
    }
}
