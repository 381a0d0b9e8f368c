using Akka.Actor;
using Akka.Discovery;

namespace DistGrad.Distributed.Formation;

/// <summary>
/// What a node's discovery lists and which of those contact points answer on their management endpoint: the
/// facts behind a failed join ("found 1 of the 3 required…"), looked up once when the join has timed out.
/// </summary>
internal sealed record ContactPointSurvey(string? LookupError, IReadOnlyList<string> Answering, IReadOnlyList<string> Silent)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ContactPointSurvey> TakeAsync(ActorSystem system, NodeNetwork network)
    {
        IReadOnlyList<string> listed;
        try
        {
            var discovery = Discovery.Get(system).LoadServiceDiscovery(BootstrapConfig.Method(network.Discovery));
            var resolved = await discovery.Lookup(new Lookup(BootstrapConfig.ServiceName, BootstrapConfig.PortName(network.Discovery), "tcp"), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            listed = resolved.Addresses.Select(a => $"{a.Host}:{a.Port ?? network.ManagementPort}").Distinct().ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ContactPointSurvey($"the lookup failed: {e.GetType().Name}: {e.Message}", [], []);
        }

        using var http = new HttpClient { Timeout = ProbeTimeout };
        var answers = await Task.WhenAll(listed.Select(async point => (point, answered: await AnswersAsync(http, point).ConfigureAwait(false)))).ConfigureAwait(false);
        return new ContactPointSurvey(null, answers.Where(a => a.answered).Select(a => a.point).ToList(), answers.Where(a => !a.answered).Select(a => a.point).ToList());
    }

    public string Describe()
    {
        if (LookupError != null)
        {
            return LookupError;
        }

        if (Answering.Count + Silent.Count == 0)
        {
            return "discovery listed none";
        }

        var parts = new List<string>();
        if (Answering.Count > 0)
        {
            parts.Add($"{string.Join(", ", Answering)} answered");
        }

        if (Silent.Count > 0)
        {
            parts.Add($"{string.Join(", ", Silent)} did not answer");
        }

        return string.Join("; ", parts);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string point)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{point}/bootstrap/seed-nodes")).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return false;
        }
    }
}
