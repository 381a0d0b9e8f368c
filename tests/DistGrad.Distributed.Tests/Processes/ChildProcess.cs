using System.Diagnostics;
using System.Text;

namespace DistGrad.Distributed.Tests.Processes;

/// <summary>
/// A program started with `dotnet PROGRAM.dll`, its output collected: one of DistGrad's (coordinator, node-host,
/// found in the solution's build output, never referenced as a project) or any built dll.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public ChildProcess(string program, params string[] args)
        : this(null, BuiltProgram(program), args)
    {
    }

    private ChildProcess(IReadOnlyDictionary<string, string>? environment, string dll, string[] args, string[]? launcher = null)
    {
        Assert.True(File.Exists(dll), $"{dll} is not built (build the solution first: dotnet build DistGrad.sln -c {Configuration})");
        string[] command = [.. launcher ?? [], "dotnet"];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in DefaultTls(dll, args, environment).Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        foreach (var word in command.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// A cluster node needs TLS material (or --insecure): every node a test starts gets the tests' cluster certificates
    /// unless the test chose itself (--insecure, or DISTGRAD_TLS_* variables of its own, say a stranger's).
    /// </summary>
    private static Dictionary<string, string> DefaultTls(string dll, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        bool clusterNode = args.Contains("--cluster") || args.FirstOrDefault() == "worker" || Path.GetFileNameWithoutExtension(dll) == "node-host";
        bool chosen = args.Contains("--insecure") || (environment?.Keys.Any(k => k.StartsWith("DISTGRAD_TLS_", StringComparison.Ordinal) || k == "DISTGRAD_INSECURE") ?? false);
        return clusterNode && !chosen ? Security.TestCertificates.Environment(Security.TestCertificates.Cluster) : [];
    }

    /// <summary>Starts <paramref name="dll"/> with <paramref name="args"/>, adding <paramref name="environment"/> (null: none) to the inherited variables.</summary>
    public static ChildProcess Start(string dll, IReadOnlyDictionary<string, string>? environment, params string[] args) => new(environment, dll, args);

    /// <summary>
    /// Starts one of DistGrad's programs through <paramref name="launcher"/> (a command that runs the rest of its
    /// arguments, such as <c>ip netns exec NAME</c>), adding <paramref name="environment"/> to the inherited variables.
    /// </summary>
    public static ChildProcess StartThrough(string[] launcher, string program, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        new(environment, BuiltProgram(program), args, launcher);

    /// <summary>The configuration these tests were built in (Debug or Release): DistGrad's programs are taken from the same.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The repository's root (the folder holding DistGrad.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DistGrad.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no DistGrad.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The built dll of one of the solution's programs: coordinator, node-host, or an example's project folder under examples/.</summary>
    public static string BuiltProgram(string program)
    {
        var folder = program switch
        {
            "coordinator" => "coordinator",
            "node-host" => "node-host",
            _ => Path.Combine("examples", program),
        };
        return Path.Combine(RepositoryRoot, folder, "bin", Configuration, "net10.0", program + ".dll");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the program to end; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        _process.WaitForExit(); // drains the output readers
        return true;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !_process.HasExited)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>SIGTERM: the polite stop a supervisor (systemd, Kubernetes) sends.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends the named signal (TERM, HUP, …) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>kill -9: no chance to leave the cluster or close sockets politely.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    /// <summary>A TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line != null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
