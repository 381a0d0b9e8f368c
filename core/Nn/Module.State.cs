namespace DistGrad.Nn;

public abstract partial class Module
{
    /// <summary>
    /// Parameters and buffers in PyTorch's state_dict order (each module's own parameters, then its
    /// buffers, then its children's), keyed by dotted names. Values are detached views of the live tensors.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        AddState(state, string.Empty);
        return state;
    }

    private void AddState(OrderedDictionary<string, Tensor> state, string prefix)
    {
        foreach (var (name, value) in _parameters)
        {
            if (value != null)
            {
                state[Join(prefix, name)] = value.Detach();
            }
        }

        foreach (var (name, value) in _buffers)
        {
            state[Join(prefix, name)] = value.Detach();
        }

        foreach (var (name, child) in _children)
        {
            child.AddState(state, Join(prefix, name));
        }
    }

    /// <summary>
    /// Copies values into the parameters and buffers in place. With <paramref name="strict"/>, missing or
    /// unexpected keys throw; a shape mismatch always throws. Messages name the keys.
    /// </summary>
    public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadStateDict(
        IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        var own = StateDict();
        // PyTorch fills a missing num_batches_tracked (older checkpoints) instead of reporting it.
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = own.Keys
            .Where(stateDict.ContainsKey)
            .Where(k => !own[k].Shape.SequenceEqual(stateDict[k].Shape))
            .Select(k => $"size mismatch for {k}: copying a param with shape {Format(stateDict[k].Shape)} from checkpoint, the shape in current model is {Format(own[k].Shape)}.")
            .ToList();

        var errors = new List<string>(mismatched);
        if (strict && unexpected.Count > 0)
        {
            errors.Insert(0, $"Unexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(k => $"\"{k}\""))}. ");
        }

        if (strict && missing.Count > 0)
        {
            errors.Insert(0, $"Missing key(s) in state_dict: {string.Join(", ", missing.Select(k => $"\"{k}\""))}. ");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t{string.Join("\n\t", errors)}");
        }

        using (Autograd.NoGrad())
        {
            foreach (var (key, target) in own)
            {
                if (stateDict.TryGetValue(key, out var source))
                {
                    target.CopyFrom(source);
                }
            }
        }

        return (missing, unexpected);
    }

    private static string Format(int[] shape) => $"torch.Size([{string.Join(", ", shape)}])";
}
