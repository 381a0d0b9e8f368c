using System.IO.Hashing;
using System.Text;
using DistGrad.Distributed.Gradients;

namespace DistGrad.Distributed;

/// <summary>
/// What must be equal on the coordinator and every worker for them to train the same job: the job's name,
/// the version of the assembly that defines it, the whole model's parameter names and shapes, and the
/// gradient pipeline. Workers send theirs when they start; the coordinator fails the job before step 1
/// when one differs, naming the worker and the first difference.
/// </summary>
public sealed record JobFingerprint(string Job, string Assembly, IReadOnlyList<string> Parameters, IReadOnlyList<string> Gradients)
{
    /// <summary>
    /// The fingerprint of <paramref name="job"/> with options <paramref name="spec"/> as this process builds it for
    /// <paramref name="rank"/> (a factory that builds other shapes on another rank gives another fingerprint).
    /// </summary>
    public static JobFingerprint Of(TrainingJob job, JobSpec spec, int rank = 0)
    {
        ArgumentNullException.ThrowIfNull(job);
        var context = new JobContext(spec, rank);
        var parameters = job.Model(context).NamedParameters()
            .Select(p => $"{p.Name}[{string.Join(",", p.Parameter.Shape)}]").ToArray();
        var gradients = GradientPipeline.For(job, spec, context).Select(p => p.Name).ToArray();
        return new JobFingerprint(job.Name, job.AssemblyIdentity, parameters, gradients);
    }

    /// <summary>A short hash of everything, for one-line messages.</summary>
    public string Hash => Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(Describe())));

    /// <summary>The whole fingerprint as one line.</summary>
    public string Describe() =>
        $"job '{Job}' ({Assembly}); {Parameters.Count} parameters: {string.Join(" ", Parameters)}; gradients: {string.Join(" → ", Gradients)}";

    /// <summary>The first thing that differs from <paramref name="other"/>, worded from this side to the other's; null when equal.</summary>
    public string? FirstDifference(JobFingerprint other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Job != other.Job)
        {
            return $"job '{Job}' vs '{other.Job}'";
        }

        if (Assembly != other.Assembly)
        {
            return $"assembly {Assembly} vs {other.Assembly}";
        }

        for (var i = 0; i < Math.Max(Parameters.Count, other.Parameters.Count); i++)
        {
            var mine = i < Parameters.Count ? Parameters[i] : "(none)";
            var theirs = i < other.Parameters.Count ? other.Parameters[i] : "(none)";
            if (mine != theirs)
            {
                return $"parameter {i}: {mine} vs {theirs}";
            }
        }

        return Gradients.SequenceEqual(other.Gradients)
            ? null
            : $"gradient pipeline {string.Join(" → ", Gradients)} vs {string.Join(" → ", other.Gradients)}";
    }
}
