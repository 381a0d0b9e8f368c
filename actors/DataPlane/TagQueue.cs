namespace DistGrad.Distributed.DataPlane;

/// <summary>An item kept in a <see cref="TagQueue{T}"/>: it carries its tag and the link to the next item of that tag.</summary>
internal interface ITagQueueItem<T>
    where T : class
{
    long Tag { get; }

    T? Next { get; set; }
}

/// <summary>
/// First-in, first-out queues keyed by tag. Tags are almost always unique, so each slot holds the head of a
/// short linked list instead of a queue object per tag. Not thread-safe: the owner locks.
/// </summary>
internal sealed class TagQueue<T>
    where T : class, ITagQueueItem<T>
{
    private readonly Dictionary<long, T> _heads = [];

    public void Enqueue(T item)
    {
        item.Next = null;
        if (!_heads.TryGetValue(item.Tag, out var last))
        {
            _heads[item.Tag] = item;
            return;
        }

        while (last.Next is { } next)
        {
            last = next;
        }

        last.Next = item;
    }

    public T? Dequeue(long tag)
    {
        if (!_heads.TryGetValue(tag, out var head))
        {
            return null;
        }

        if (head.Next is { } rest)
        {
            _heads[tag] = rest;
        }
        else
        {
            _heads.Remove(tag);
        }

        head.Next = null;
        return head;
    }

    public void Remove(T item)
    {
        if (!_heads.TryGetValue(item.Tag, out var head))
        {
            return;
        }

        if (head == item)
        {
            Dequeue(item.Tag);
            return;
        }

        for (var p = head; p.Next is { } next; p = next)
        {
            if (next == item)
            {
                p.Next = item.Next;
                item.Next = null;
                return;
            }
        }
    }

    /// <summary>Empties the queues and returns everything they held.</summary>
    public List<T> Drain()
    {
        List<T> all = [];
        foreach (var head in _heads.Values)
        {
            for (var p = head; p is not null; p = p.Next)
            {
                all.Add(p);
            }
        }

        _heads.Clear();
        return all;
    }
}
