using System.Globalization;

namespace DistGrad.Distributed.Tests.Pipeline;

/// <summary>Runs a test's body under another current culture (e.g. one with a decimal comma) and restores the old one.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentCulture;

    public CultureScope(string name) => CultureInfo.CurrentCulture = new CultureInfo(name);

    public void Dispose() => CultureInfo.CurrentCulture = _previous;
}
