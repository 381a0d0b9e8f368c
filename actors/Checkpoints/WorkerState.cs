using DistGrad.Optim;

namespace DistGrad.Distributed.Checkpoints;

/// <summary>Capture and restore of a worker's training state, one call each way.</summary>
public static class WorkerState
{
    /// <summary>
    /// Copies of the parameters and the optimizer state on the CPU, detached, so training may go on while
    /// they are written. Parameters keep their dtype (float32 in practice), which keeps a restore bit-exact.
    /// </summary>
    public static WorkerCheckpoint Capture(long step, IReadOnlyList<(string Name, Tensor Parameter)> parameters, Optimizer optimizer, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(metadata);
        var saved = new Dictionary<string, Tensor>(parameters.Count);
        using (Autograd.NoGrad())
        {
            foreach (var (name, parameter) in parameters)
            {
                if (!saved.TryAdd(name, CpuCopy(parameter)))
                {
                    throw new ArgumentException($"parameter \"{name}\" is listed twice", nameof(parameters));
                }
            }
        }

        // StateDict already copies; only the device may need changing.
        var optimizerState = optimizer.StateDict().ToDictionary(s => s.Key, s => s.Value.To(Device.Cpu));
        return new WorkerCheckpoint(step, saved, optimizerState, new Dictionary<string, string>(metadata));
    }

    /// <summary>
    /// Copies the saved values into <paramref name="parameters"/> in place (on whatever device they are)
    /// and loads the optimizer's state. Everything is checked first: missing or unexpected parameter
    /// names, shape mismatches and an optimizer state that does not fit throw
    /// <see cref="InvalidDataException"/> and change nothing.
    /// </summary>
    public static void Restore(WorkerCheckpoint checkpoint, IReadOnlyList<(string Name, Tensor Parameter)> parameters, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        CheckParameters(checkpoint, parameters);
        try
        {
            // LoadStateDict checks everything before it changes anything, so a failure here leaves the parameters as they were too.
            optimizer.LoadStateDict(checkpoint.OptimizerState);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the checkpoint of step {checkpoint.Step} does not fit this optimizer: {e.Message}", e);
        }

        using (Autograd.NoGrad())
        {
            foreach (var (name, parameter) in parameters)
            {
                parameter.CopyFrom(checkpoint.Parameters[name]);
            }
        }
    }

    private static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";

    private static Tensor CpuCopy(Tensor parameter)
    {
        var detached = parameter.Detach();
        // To(Cpu) of a CPU tensor is the tensor itself; a GPU one arrives as a fresh copy already.
        return detached.Device == Device.Cpu ? detached.Clone() : detached.To(Device.Cpu);
    }

    private static void CheckParameters(WorkerCheckpoint checkpoint, IReadOnlyList<(string Name, Tensor Parameter)> parameters)
    {
        var names = parameters.Select(p => p.Name).ToHashSet();
        var missing = parameters.Select(p => p.Name).Where(n => !checkpoint.Parameters.ContainsKey(n)).ToList();
        var unexpected = checkpoint.Parameters.Keys.Where(n => !names.Contains(n)).ToList();
        var mismatched = parameters
            .Where(p => checkpoint.Parameters.TryGetValue(p.Name, out var saved) && !saved.Shape.SequenceEqual(p.Parameter.Shape))
            .Select(p => $"\"{p.Name}\" has shape {Format(checkpoint.Parameters[p.Name].Shape)} in the checkpoint and {Format(p.Parameter.Shape)} here")
            .ToList();
        var errors = new List<string>();
        if (missing.Count > 0)
        {
            errors.Add($"missing parameter(s) {string.Join(", ", missing.Select(n => $"\"{n}\""))}");
        }

        if (unexpected.Count > 0)
        {
            errors.Add($"unexpected parameter(s) {string.Join(", ", unexpected.Select(n => $"\"{n}\""))}");
        }

        errors.AddRange(mismatched);
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"the checkpoint of step {checkpoint.Step} does not fit these parameters: {string.Join("; ", errors)}");
        }
    }
}
