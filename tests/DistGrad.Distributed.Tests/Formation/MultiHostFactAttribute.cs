using System.Runtime.InteropServices;

namespace DistGrad.Distributed.Tests.Formation;

/// <summary>
/// A test that puts nodes on separate network hosts (network namespaces joined by a bridge): it needs root and
/// iproute2's <c>ip</c>, and is skipped with the reason where either is missing. CI runs as root.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed partial class MultiHostFactAttribute : FactAttribute
{
    public MultiHostFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "network namespaces are a Linux feature";
        }
        else if (GetEffectiveUserId() != 0)
        {
            Skip = "needs root to create network namespaces (ip netns); CI runs as root";
        }
        else if (!File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip") && !File.Exists("/bin/ip"))
        {
            Skip = "needs iproute2's 'ip' (apt-get install -y iproute2; .ci/run installs it)";
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
