namespace DistGrad;

/// <summary>Removes the hook it was returned for; disposing it does the same.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    public void Remove()
    {
        _remove?.Invoke();
        _remove = null;
    }

    public void Dispose() => Remove();

    /// <summary>Adds an item to a hook list and returns the handle that takes it out again.</summary>
    internal static HookHandle Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return new HookHandle(() => list.Remove(item));
    }
}
