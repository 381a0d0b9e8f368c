namespace DistGrad.Distributed.Placement;

/// <summary>
/// The devices of one worker node and how many workers use each: a worker entity started on the node takes
/// the least used one and gives it back when it stops. Shared by the node's entities (thread-safe).
/// </summary>
public sealed class DeviceSlots
{
    private readonly Device[] _devices;
    private readonly int[] _users;
    private readonly Lock _gate = new();

    /// <param name="devices">One entry per worker slot, e.g. "cpu" or "cuda:0,cuda:1".</param>
    public DeviceSlots(string devices)
    {
        _devices = devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Devices.Parse).ToArray();
        _users = new int[_devices.Length];
    }

    /// <summary>A node that hosts no workers (the coordinator's).</summary>
    public static DeviceSlots None { get; } = new(string.Empty);

    /// <summary>Worker slots the node offers.</summary>
    public int Count => _devices.Length;

    /// <summary>The least used device (the first of equals, so placement repeats).</summary>
    /// <exception cref="InvalidOperationException">The node has no devices.</exception>
    public Device Acquire()
    {
        lock (_gate)
        {
            if (_devices.Length == 0)
            {
                throw new InvalidOperationException("this node offers no worker slots");
            }

            var best = 0;
            for (var i = 1; i < _users.Length; i++)
            {
                if (_users[i] < _users[best])
                {
                    best = i;
                }
            }

            _users[best]++;
            return _devices[best];
        }
    }

    public void Release(Device device)
    {
        lock (_gate)
        {
            for (var j = 0; j < _devices.Length; j++)
            {
                if (_devices[j] == device && _users[j] > 0)
                {
                    _users[j]--;
                    return;
                }
            }
        }
    }
}
