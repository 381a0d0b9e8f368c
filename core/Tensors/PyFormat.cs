using System.Globalization;

namespace DistGrad;

/// <summary>Python's repr of numbers and booleans, for module descriptions that read like PyTorch's.</summary>
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

        // Python switches to exponent form below 1e-4 and from 1e16; both print the shortest round-trip digits.
        var magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16))
        {
            return value.ToString("0.################e+00", CultureInfo.InvariantCulture);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "True" : "False";
}
