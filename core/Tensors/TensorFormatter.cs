using System.Globalization;
using System.Text;

namespace DistGrad;

/// <summary>
/// PyTorch's printed form of a tensor (torch/_tensor_str.py, default print options): one width for all
/// elements, integer-valued floats as "2.", otherwise 4 decimals or scientific notation when the range
/// is wide, summarised with "..." past 1000 elements, and the dtype/grad_fn/requires_grad suffixes.
/// </summary>
internal sealed class TensorFormatter
{
    private const int Precision = 4;
    private const int LineWidth = 80;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    private readonly bool _floating;
    private readonly bool _intMode = true;
    private readonly bool _sciMode;
    private readonly int _maxWidth = 1;

    private TensorFormatter(DType dtype, double[] values)
    {
        _floating = dtype.IsFloating();
        if (!_floating)
        {
            foreach (var v in values)
            {
                _maxWidth = Math.Max(_maxWidth, FormatPlain(v, dtype).Length);
            }

            return;
        }

        var finite = values.Where(v => double.IsFinite(v) && v != 0).ToArray();
        if (finite.Length == 0)
        {
            return;
        }

        var min = finite.Min(Math.Abs);
        var max = finite.Max(Math.Abs);
        _intMode = finite.All(v => v == Math.Ceiling(v));
        _sciMode = max / min > 1000 || max > 1e8 || (!_intMode && min < 1e-4);
        foreach (var v in finite)
        {
            var text = _sciMode ? Scientific(v) : _intMode ? FixedNoDecimals(v) + "." : Fixed(v);
            _maxWidth = Math.Max(_maxWidth, text.Length);
        }
    }

    public static string Format(Tensor tensor)
    {
        var suffixes = new List<string>();
        if (tensor.Device != Device.Cpu)
        {
            suffixes.Add($"device='{tensor.Device}'");
        }

        string body;
        var t = tensor.Detach();
        if (t.Numel == 0)
        {
            if (t.Dim != 1)
            {
                suffixes.Add("size=(" + string.Join(", ", t.ShapeRef) + (t.Dim == 1 ? ",)" : ")"));
            }

            if (t.DType != DType.Float32)
            {
                suffixes.Add("dtype=" + t.DType.TorchName());
            }

            body = "[]";
        }
        else
        {
            if (t.DType == DType.Float64)
            {
                suffixes.Add("dtype=" + t.DType.TorchName());
            }

            var summarize = t.Numel > Threshold;
            var formatter = new TensorFormatter(t.DType, Values(summarize ? Summarized(t) : t));
            body = formatter.Body(t, indent: 7, summarize);
        }

        if (tensor.GradFn != null)
        {
            suffixes.Add($"grad_fn=<{tensor.GradFn.Name}>");
        }
        else if (tensor.RequiresGrad)
        {
            suffixes.Add("requires_grad=True");
        }

        return AddSuffixes("tensor(" + body, suffixes, indent: 7) + ")";
    }

    private static string AddSuffixes(string body, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(body);
        var lastLineLength = body.Length - body.LastIndexOf('\n') + 1;
        foreach (var suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }

        return sb.ToString();
    }

    private string Body(Tensor t, int indent, bool summarize)
    {
        if (t.Dim == 0)
        {
            return FormatValue(Values(t)[0], t.DType);
        }

        if (t.Dim == 1)
        {
            return Vector(t, indent, summarize);
        }

        var size = t.ShapeRef[0];
        var slices = new List<string>();
        if (summarize && size > 2 * EdgeItems)
        {
            for (var i = 0; i < EdgeItems; i++)
            {
                slices.Add(Body(t.Select(0, i), indent + 1, summarize));
            }

            slices.Add("...");
            for (var i = size - EdgeItems; i < size; i++)
            {
                slices.Add(Body(t.Select(0, i), indent + 1, summarize));
            }
        }
        else
        {
            for (var i = 0; i < size; i++)
            {
                slices.Add(Body(t.Select(0, i), indent + 1, summarize));
            }
        }

        var separator = "," + new string('\n', t.Dim - 1) + new string(' ', indent + 1);
        return "[" + string.Join(separator, slices) + "]";
    }

    private string Vector(Tensor t, int indent, bool summarize)
    {
        var elementLength = _maxWidth + 2;
        var perLine = Math.Max(1, (int)Math.Floor((LineWidth - indent) / (double)elementLength));
        var values = Values(t);
        List<string> data;
        if (summarize && values.Length > 2 * EdgeItems)
        {
            data = values.Take(EdgeItems).Select(v => FormatValue(v, t.DType)).ToList();
            data.Add(" ...");
            data.AddRange(values.Skip(values.Length - EdgeItems).Select(v => FormatValue(v, t.DType)));
        }
        else
        {
            data = values.Select(v => FormatValue(v, t.DType)).ToList();
        }

        var lines = data.Chunk(perLine).Select(line => string.Join(", ", line));
        return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
    }

    private string FormatValue(double v, DType dtype)
    {
        string text;
        if (!_floating)
        {
            text = FormatPlain(v, dtype);
        }
        else if (_sciMode)
        {
            text = Scientific(v);
        }
        else if (_intMode)
        {
            text = FixedNoDecimals(v);
            if (double.IsFinite(v))
            {
                text += ".";
            }
        }
        else
        {
            text = Fixed(v);
        }

        return text.PadLeft(_maxWidth);
    }

    private static string FormatPlain(double v, DType dtype) =>
        dtype == DType.Bool ? (v != 0 ? "True" : "False") : ((long)v).ToString(CultureInfo.InvariantCulture);

    private static string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";

    private static string FixedNoDecimals(double v) => double.IsFinite(v) ? v.ToString("F0", CultureInfo.InvariantCulture) : Special(v);

    private static string Fixed(double v) => double.IsFinite(v) ? v.ToString("F" + Precision, CultureInfo.InvariantCulture) : Special(v);

    // Python's "{:.4e}": mantissa with 4 decimals, exponent with a sign and at least two digits.
    private static string Scientific(double v)
    {
        if (!double.IsFinite(v))
        {
            return Special(v);
        }

        var text = v.ToString("E" + Precision, CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        var exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        return text[..e] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static double[] Values(Tensor t) => t.ToArray<double>();

    /// <summary>The edge items of every dim (what PyTorch measures widths on when it summarises).</summary>
    private static Tensor Summarized(Tensor t)
    {
        if (t.Dim == 0)
        {
            return t;
        }

        var size = t.ShapeRef[0];
        if (t.Dim == 1)
        {
            return size > 2 * EdgeItems ? Tensor.Cat([t.Slice(0, 0, EdgeItems), t.Slice(0, size - EdgeItems)]) : t;
        }

        var rows = size > 2 * EdgeItems
            ? Enumerable.Range(0, EdgeItems).Concat(Enumerable.Range(size - EdgeItems, EdgeItems))
            : Enumerable.Range(0, size);
        return Tensor.Stack(rows.Select(i => Summarized(t.Select(0, i))).ToArray());
    }
}
