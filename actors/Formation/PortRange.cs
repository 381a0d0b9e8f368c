using System.Globalization;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// The ports a listener may take: one fixed port, a range (firewalls and Kubernetes open ports by number), or
/// any free one (0).
/// </summary>
public readonly record struct PortRange(int First, int Last)
{
    /// <summary>Any free port the operating system picks.</summary>
    public static PortRange Any { get; } = new(0, 0);

    public bool IsAny => First == 0;

    /// <summary>"0", "7000" or "7000-7007".</summary>
    public static PortRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535))
        {
            throw new ArgumentException($"'{text}' is not a port (0-65535) or a range LO-HI");
        }

        int first = int.Parse(parts[0], CultureInfo.InvariantCulture);
        int last = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : first;
        if (first == 0 && last != 0)
        {
            throw new ArgumentException($"'{text}': a range starts at port 1 or above (0 alone means any free port)");
        }

        return last >= first ? new PortRange(first, last) : throw new ArgumentException($"'{text}': the range ends below its start");
    }

    public IEnumerable<int> Ports => IsAny ? [0] : Enumerable.Range(First, Last - First + 1);

    public override string ToString() =>
        First == Last ? First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
