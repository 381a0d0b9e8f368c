namespace DistGrad.Optim;

/// <summary>
/// Reads the scalars of a scheduler's or GradScaler's state dict, collecting every missing, malformed or unexpected key
/// before reporting them together.
/// </summary>
internal sealed class ScalarStateReader(string owner, IReadOnlyDictionary<string, Tensor> dict)
{
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _used = [];
    private readonly List<string> _ignoredPrefixes = [];

    public double Number(string key)
    {
        _used.Add(key);
        if (!dict.TryGetValue(key, out var value))
        {
            _errors.Add($"Missing key \"{key}\" in state_dict.");
            return double.NaN;
        }

        if (value.Numel != 1 || value.DType == DType.Bool)
        {
            _errors.Add($"\"{key}\" must hold one number, but it has shape {Shapes.Format(value.ShapeRef)} and dtype {value.DType.TorchName()}");
            return double.NaN;
        }

        return value.Item();
    }

    public long Integer(string key)
    {
        var value = Number(key);
        if (double.IsNaN(value))
        {
            return 0;
        }

        if (value != Math.Floor(value) || Math.Abs(value) > int.MaxValue)
        {
            _errors.Add($"\"{key}\" must hold a whole number, but it holds {PyFormat.Float(value)}");
            return 0;
        }

        return (long)value;
    }

    /// <summary>"{name}.0" ... "{name}.{count-1}"; a saved list of another length is an error.</summary>
    public double[] List(string name, int count)
    {
        var saved = dict.Keys.Count(k => k.StartsWith($"{name}.", StringComparison.Ordinal));
        if (saved != count)
        {
            _errors.Add($"\"{name}\" has {saved} entries in the state dict, but {count} are expected (one per parameter group)");
            _used.UnionWith(dict.Keys.Where(k => k.StartsWith($"{name}.", StringComparison.Ordinal)));
            return [];
        }

        return Enumerable.Range(0, count).Select(i => Number($"{name}.{i}")).ToArray();
    }

    /// <summary>Keys under <paramref name="prefix"/> belong to someone else (a SequentialLR's schedulers).</summary>
    public void Ignore(string prefix) => _ignoredPrefixes.Add(prefix);

    public void ThrowIfInvalid()
    {
        foreach (var key in dict.Keys)
        {
            if (!_used.Contains(key) && !_ignoredPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                _errors.Add($"Unexpected key \"{key}\" in state_dict.");
            }
        }

        if (_errors.Count > 0)
        {
            throw new ArgumentException($"Error(s) in loading state_dict for {owner}:\n\t{string.Join("\n\t", _errors)}");
        }
    }
}
