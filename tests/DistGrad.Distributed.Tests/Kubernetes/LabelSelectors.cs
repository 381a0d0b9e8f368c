using k8s.Models;

namespace DistGrad.Distributed.Tests.Kubernetes;

/// <summary>Kubernetes' label-selector matching: a Service's map, a LabelSelector object, and the string form the API's list calls take.</summary>
internal static class LabelSelectors
{
    /// <summary>A Service's selector: every pair present. An empty selector selects nothing here (it would select no pods for a Service).</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is { Count: > 0 } && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>A LabelSelector (matchLabels and matchExpressions); an empty one matches nothing here, as no DistGrad object means "every pod".</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels)
    {
        if (selector == null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            return false;
        }

        var pairs = selector.MatchLabels ?? new Dictionary<string, string>();
        return pairs.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)
            && (selector.MatchExpressions ?? []).All(e => Matches(e, labels));
    }

    /// <summary>
    /// The string form (<c>a=b,c!=d,e</c>), as <c>--pod-label-selector</c> takes it; set-based terms
    /// (<c>in</c>, <c>notin</c>) are not supported and fail the test rather than match by accident.
    /// </summary>
    public static bool Matches(string selector, IDictionary<string, string> labels)
    {
        var terms = selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(terms.Length > 0, $"the label selector '{selector}' is empty");
        return terms.All(term => MatchesTerm(term, labels));
    }

    private static bool MatchesTerm(string term, IDictionary<string, string> labels)
    {
        Assert.False(term.Contains(' ', StringComparison.Ordinal) || term.Contains('(', StringComparison.Ordinal), $"set-based selector term '{term}' is not supported by this check");
        if (term.Split("!=") is [var notKey, var notValue])
        {
            return !labels.TryGetValue(notKey, out var v) || v != notValue;
        }

        var equality = term.Contains("==", StringComparison.Ordinal) ? term.Split("==") : term.Split('=');
        if (equality is [var key, var expected])
        {
            return labels.TryGetValue(key, out var v) && v == expected;
        }

        return term.StartsWith('!') ? !labels.ContainsKey(term[1..]) : labels.ContainsKey(term);
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(requirement.Key, out var value);
        return requirement.OperatorProperty switch
        {
            "In" => has && (requirement.Values ?? []).Contains(value!),
            "NotIn" => !has || !(requirement.Values ?? []).Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => throw new InvalidOperationException($"unknown selector operator {requirement.OperatorProperty}"),
        };
    }
}
