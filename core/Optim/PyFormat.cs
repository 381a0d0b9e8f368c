using System.Globalization;

namespace DistGrad.Optim;

/// <summary>Numbers written as Python's repr writes floats, so error messages read as PyTorch's do ("Invalid learning rate: -0.1").</summary>
internal static class PyFormat
{
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return text.Contains('.') || text.Contains('e') ? text : text + ".0";
    }
}
