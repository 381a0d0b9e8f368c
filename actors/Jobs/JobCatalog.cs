namespace DistGrad.Distributed;

/// <summary>
/// The jobs one program can run, by name: what <see cref="DistGradApp.Run"/> is given, and what a worker
/// node looks a job up in when the coordinator starts one of its workers.
/// </summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);

    public JobCatalog(IEnumerable<TrainingJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
        {
            ArgumentNullException.ThrowIfNull(job);
            if (!_jobs.TryAdd(job.Name, job))
            {
                throw new ArgumentException($"two jobs are named '{job.Name}'; job names must be unique");
            }

            Jobs.Add(job);
        }
    }

    /// <summary>The jobs in the order they were given (the first is the default job).</summary>
    public List<TrainingJob> Jobs { get; } = [];

    public IReadOnlyCollection<string> Names => _jobs.Keys;

    /// <summary>The job <c>train</c> runs when none is named.</summary>
    public TrainingJob? Default => Jobs.Count > 0 ? Jobs[0] : null;

    public TrainingJob? Find(string name) => _jobs.GetValueOrDefault(name);

    /// <summary>The job named <paramref name="name"/>, or an error that lists the jobs there are.</summary>
    public TrainingJob Get(string name) =>
        Find(name) ?? throw new ArgumentException($"no job is named '{name}' (jobs: {(Jobs.Count == 0 ? "none" : string.Join(", ", Names))})");

    /// <summary>This catalog with <paramref name="more"/> added (a job of the same name replaces this one's).</summary>
    public JobCatalog With(IEnumerable<TrainingJob> more)
    {
        var added = more.ToArray();
        var names = added.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        return new JobCatalog(Jobs.Where(j => !names.Contains(j.Name)).Concat(added));
    }
}
