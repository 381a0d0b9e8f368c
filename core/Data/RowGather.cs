using DistGrad.Kernels.Cpu;

namespace DistGrad.Data;

/// <summary>
/// Copies chosen rows (slices along dim 0) of a tensor into a new tensor, on host arrays. A batch is
/// data, not a graph: going through tensor ops would cost one view and one node per sample.
/// </summary>
internal sealed class RowGather
{
    private readonly Tensor _source;
    private readonly int[] _rowShape;
    private readonly int _rowLength;
    private Array? _snapshot;
    private int _snapshotVersion;

    public RowGather(Tensor source)
    {
        _source = source;
        _rowShape = source.ShapeRef[1..];
        _rowLength = Shapes.Numel(_rowShape);
    }

    public Tensor Gather(IReadOnlyList<int> rows)
    {
        var (host, offset) = HostElements();
        var gathered = Array.CreateInstance(host.GetType().GetElementType()!, rows.Count * _rowLength);
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(host, offset + ((long)rows[i] * _rowLength), gathered, (long)i * _rowLength, _rowLength);
        }

        var batch = FromHost(gathered, [rows.Count, .. _rowShape]);
        return batch.To(_source.Device);
    }

    /// <summary>The source's elements in row-major order and where they start.</summary>
    private (Array Host, int Offset) HostElements()
    {
        // A contiguous CPU tensor is read in place, so a large dataset is not held twice.
        if (_source.Storage is CpuStorage cpu && _source.IsContiguous)
        {
            return (cpu.Data, _source.Offset);
        }

        // Otherwise keep one dense copy, refreshed when an in-place write bumps the version.
        if (_snapshot == null || _snapshotVersion != _source.Version)
        {
            _snapshot = _source.Kernels.ToHost(_source);
            _snapshotVersion = _source.Version;
        }

        return (_snapshot, 0);
    }

    private static Tensor FromHost(Array data, int[] shape) => data switch
    {
        float[] f => Tensor.From(f, shape),
        double[] d => Tensor.From(d, shape),
        long[] l => Tensor.From(l, shape),
        bool[] b => Tensor.From(b, shape),
        _ => throw new NotSupportedException($"unexpected host array {data.GetType().Name}"),
    };
}
