using System.Text.RegularExpressions;

namespace DistGrad.Optim;

/// <summary>
/// The optimizer's state as a flat dictionary of tensors, so that a safetensors file can hold it:
/// "state.{i}.{name}" per parameter (i numbers parameters across groups, as PyTorch's state_dict),
/// then "param_groups.{g}.{option}" as Float64 scalars and "param_groups.{g}.params" as the Int64
/// indices of the group's parameters.
/// </summary>
public abstract partial class Optimizer
{
    /// <summary>
    /// A snapshot of the state (copies, so later steps do not change it): per-parameter state with
    /// "step" as an Int64 scalar, and every group's options, "initial_lr" included once a scheduler set it.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        using (Autograd.NoGrad())
        {
            var index = 0;
            foreach (var p in AllParams)
            {
                if (_state.TryGetValue(p, out var state))
                {
                    foreach (var (name, value) in state)
                    {
                        result[$"state.{index}.{name}"] = value.Detach().Clone();
                    }
                }

                index++;
            }

            index = 0;
            for (var g = 0; g < _paramGroups.Count; g++)
            {
                var group = _paramGroups[g];
                foreach (var (name, value) in group.Options)
                {
                    result[$"param_groups.{g}.{name}"] = Tensor.Scalar(value);
                }

                if (group.InitialLr is { } initialLr)
                {
                    result[$"param_groups.{g}.initial_lr"] = Tensor.Scalar(initialLr);
                }

                result[$"param_groups.{g}.params"] = Tensor.From(Enumerable.Range(index, group.Params.Count).Select(i => (long)i).ToArray());
                index += group.Params.Count;
            }
        }

        return result;
    }

    /// <summary>
    /// Restores a state dict made by <see cref="StateDict"/> of an optimizer of the same kind over
    /// parameters of the same shapes in the same groups. Everything is checked before anything changes;
    /// missing or unexpected keys, shape mismatches and different group sizes throw, naming the keys.
    /// State tensors are copied and cast to each parameter's dtype and device.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var loaded = new StateDictReader(this, stateDict);
        loaded.ThrowIfInvalid();

        for (var g = 0; g < _paramGroups.Count; g++)
        {
            var group = _paramGroups[g];
            foreach (var (name, _) in group.Options.ToArray())
            {
                group[name] = stateDict[$"param_groups.{g}.{name}"].Item();
            }

            // As PyTorch, the saved group replaces the current one, so a missing initial_lr clears it.
            group.InitialLr = stateDict.TryGetValue($"param_groups.{g}.initial_lr", out var initial) ? initial.Item() : null;
        }

        _state.Clear();
        using (Autograd.NoGrad())
        {
            foreach (var (param, entries) in loaded.States)
            {
                var state = State(param);
                foreach (var (name, value) in entries)
                {
                    state[name] = name == "step"
                        ? Tensor.Scalar((long)value.Item())
                        : value.Detach().To(param.DType).To(param.Device).Reshape(param.Shape).Clone();
                }
            }
        }
    }

    /// <summary>Parses and checks a state dict against an optimizer, collecting every problem before reporting.</summary>
    private sealed partial class StateDictReader
    {
        private readonly Optimizer _optimizer;
        private readonly IReadOnlyDictionary<string, Tensor> _dict;
        private readonly List<string> _errors = [];
        private readonly HashSet<string> _used = [];

        public StateDictReader(Optimizer optimizer, IReadOnlyDictionary<string, Tensor> dict)
        {
            _optimizer = optimizer;
            _dict = dict;
            if (ReadGroups() is { } savedIds)
            {
                ReadStates(savedIds);
            }

            foreach (var key in dict.Keys)
            {
                if (!_used.Contains(key))
                {
                    _errors.Add($"Unexpected key \"{key}\" in state_dict.");
                }
            }
        }

        /// <summary>Each parameter's saved state, in parameter order.</summary>
        public List<(Tensor Param, List<(string Name, Tensor Value)> Entries)> States { get; } = [];

        public void ThrowIfInvalid()
        {
            if (_errors.Count > 0)
            {
                throw new ArgumentException($"Error(s) in loading state_dict for {_optimizer.GetType().Name}:\n\t{string.Join("\n\t", _errors)}");
            }
        }

        /// <summary>Checks the groups and maps each saved parameter index to this optimizer's parameter (null on a structural error).</summary>
        private Dictionary<long, Tensor>? ReadGroups()
        {
            var groups = _optimizer._paramGroups;
            var savedGroupCount = _dict.Keys.Select(k => GroupKey().Match(k)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) + 1).DefaultIfEmpty(0).Max();
            if (savedGroupCount != groups.Count)
            {
                _errors.Add($"loaded state dict has a different number of parameter groups ({savedGroupCount}, this optimizer has {groups.Count})");
                _used.UnionWith(_dict.Keys);
                return null;
            }

            var savedIds = new Dictionary<long, Tensor>();
            var structural = false;
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                foreach (var (name, _) in group.Options)
                {
                    Scalar($"param_groups.{g}.{name}");
                }

                if (_dict.ContainsKey($"param_groups.{g}.initial_lr"))
                {
                    Scalar($"param_groups.{g}.initial_lr");
                }

                var paramsKey = $"param_groups.{g}.params";
                if (!Use(paramsKey, out var ids))
                {
                    structural = true;
                    continue;
                }

                if (ids.Dim != 1 || ids.DType.IsFloating() || ids.DType == DType.Bool)
                {
                    _errors.Add($"\"{paramsKey}\" must be a 1-D Int64 tensor of parameter indices, but it has shape {Shapes.Format(ids.ShapeRef)} and dtype {ids.DType.TorchName()}");
                    structural = true;
                    continue;
                }

                if (ids.Numel != group.Params.Count)
                {
                    _errors.Add($"loaded state dict contains a parameter group that doesn't match the size of optimizer's group: group {g} has {ids.Numel} parameters saved and {group.Params.Count} here");
                    structural = true;
                    continue;
                }

                var values = ids.ToArray<long>();
                for (var k = 0; k < values.Length; k++)
                {
                    if (!savedIds.TryAdd(values[k], group.Params[k]))
                    {
                        _errors.Add($"\"{paramsKey}\" lists parameter index {values[k]} a second time");
                        structural = true;
                    }
                }
            }

            if (structural)
            {
                // Without a parameter mapping the per-parameter entries cannot be checked; they are not reported as unexpected.
                _used.UnionWith(_dict.Keys.Where(k => k.StartsWith("state.", StringComparison.Ordinal)));
                return null;
            }

            return savedIds;
        }

        private void ReadStates(Dictionary<long, Tensor> savedIds)
        {
            var known = _optimizer.StateKeys;
            var byIndex = new SortedDictionary<long, List<(string Name, Tensor Value)>>();
            foreach (var key in _dict.Keys)
            {
                var match = StateKey().Match(key);
                if (!match.Success || !long.TryParse(match.Groups[1].Value, out var index) || !savedIds.ContainsKey(index) || !known.Contains(match.Groups[2].Value))
                {
                    continue; // reported as unexpected
                }

                _used.Add(key);
                if (!byIndex.TryGetValue(index, out var entries))
                {
                    entries = [];
                    byIndex[index] = entries;
                }

                entries.Add((match.Groups[2].Value, _dict[key]));
            }

            foreach (var (index, entries) in byIndex)
            {
                var param = savedIds[index];
                var ok = true;
                foreach (var name in known.Where(n => !entries.Any(e => e.Name == n)))
                {
                    _errors.Add($"Missing key \"state.{index}.{name}\" in state_dict (the other entries of parameter {index}'s state are there).");
                    ok = false;
                }

                foreach (var (name, value) in entries)
                {
                    ok &= CheckEntry($"state.{index}.{name}", name, value, param);
                }

                if (ok)
                {
                    States.Add((param, entries));
                }
            }
        }

        private bool CheckEntry(string key, string name, Tensor value, Tensor param)
        {
            if (name == "step")
            {
                if (value.Numel != 1 || value.DType == DType.Bool || value.Item() is var step && (step < 0 || step != Math.Floor(step)))
                {
                    _errors.Add($"\"{key}\" must be a scalar holding a whole number of steps, but it is {value}");
                    return false;
                }

                return true;
            }

            if (!Shapes.SameShape(value.ShapeRef, param.ShapeRef))
            {
                _errors.Add($"size mismatch for {key}: copying a tensor of shape {Shapes.Format(value.ShapeRef)}, but the parameter has shape {Shapes.Format(param.ShapeRef)}.");
                return false;
            }

            if (!value.DType.IsFloating())
            {
                _errors.Add($"\"{key}\" has dtype {value.DType.TorchName()}, but optimizer state is floating point");
                return false;
            }

            return true;
        }

        /// <summary>Checks that an option key is there and holds one number.</summary>
        private void Scalar(string key)
        {
            if (Use(key, out var value) && (value.Numel != 1 || value.DType == DType.Bool))
            {
                _errors.Add($"\"{key}\" must hold one number, but it has shape {Shapes.Format(value.ShapeRef)} and dtype {value.DType.TorchName()}");
            }
        }

        private bool Use(string key, out Tensor value)
        {
            _used.Add(key);
            if (_dict.TryGetValue(key, out value!))
            {
                return true;
            }

            _errors.Add($"Missing key \"{key}\" in state_dict.");
            return false;
        }

        [GeneratedRegex(@"^param_groups\.(\d+)\.")]
        private static partial Regex GroupKey();

        [GeneratedRegex(@"^state\.(-?\d+)\.(.+)$")]
        private static partial Regex StateKey();
    }
}
