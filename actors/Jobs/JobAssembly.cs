using System.Reflection;
using System.Runtime.Loader;

namespace DistGrad.Distributed;

/// <summary>
/// Loads the jobs of a user's assembly (<c>--job-assembly PATH</c>): every public static property or field of
/// type <see cref="TrainingJob"/> (or a list of them) on its public types. The assembly gets its own
/// <see cref="AssemblyLoadContext"/>, so its private dependencies resolve from its folder (its .deps.json),
/// while DistGrad and everything this process already loaded (Akka, …) stay shared: a TrainingJob from
/// there is the same type as here.
/// </summary>
public static class JobAssembly
{
    /// <summary>The jobs defined in the assembly at <paramref name="path"/>; a clear ArgumentException when there are none or it cannot load.</summary>
    public static IReadOnlyList<TrainingJob> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ArgumentException($"--job-assembly '{path}' does not exist");
        }

        Assembly assembly;
        try
        {
            assembly = new JobLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new ArgumentException($"--job-assembly '{path}' is not a .NET assembly");
        }
        catch (FileLoadException e)
        {
            throw new ArgumentException($"--job-assembly '{path}' cannot be loaded: {e.Message}");
        }

        var jobs = new List<TrainingJob>();
        try
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                const BindingFlags Static = BindingFlags.Public | BindingFlags.Static;
                var values = type.GetProperties(Static).Where(p => p.GetIndexParameters().Length == 0).Select(p => (p.PropertyType, Get: (Func<object?>)(() => p.GetValue(null))))
                    .Concat(type.GetFields(Static).Select(f => (PropertyType: f.FieldType, Get: (Func<object?>)(() => f.GetValue(null)))));
                foreach (var (valueType, get) in values)
                {
                    if (valueType == typeof(TrainingJob) && get() is TrainingJob job)
                    {
                        jobs.Add(job);
                    }
                    else if (typeof(IEnumerable<TrainingJob>).IsAssignableFrom(valueType) && get() is IEnumerable<TrainingJob> list)
                    {
                        jobs.AddRange(list);
                    }
                }
            }
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or TypeLoadException or TargetInvocationException or FileNotFoundException)
        {
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            throw new ArgumentException($"--job-assembly '{path}': reading its jobs failed: {inner.GetType().Name}: {inner.Message}");
        }

        var distinct = jobs.DistinctBy(j => j.Name).ToArray();
        return distinct.Length > 0
            ? distinct
            : throw new ArgumentException($"--job-assembly '{path}' defines no jobs (public static TrainingJob properties or fields of public types)");
    }

    private sealed class JobLoadContext(string path) : AssemblyLoadContext($"distgrad-jobs:{Path.GetFileName(path)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Shared with the host: DistGrad itself and anything the host has loaded or can load.
            if (assemblyName.Name is { } name && (name.StartsWith("DistGrad.", StringComparison.Ordinal) ||
                Default.Assemblies.Any(a => a.GetName().Name == name)))
            {
                return null;
            }

            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                return _resolver.ResolveAssemblyToPath(assemblyName) is { } own ? LoadFromAssemblyPath(own) : null;
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } own ? LoadUnmanagedDllFromPath(own) : IntPtr.Zero;
    }
}
