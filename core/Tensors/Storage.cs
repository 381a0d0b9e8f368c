namespace DistGrad;

/// <summary>
/// A flat buffer of elements on one device. Views of a tensor share its storage, and with it the
/// version counter that in-place operations bump (PyTorch keeps one counter per base and its views).
/// </summary>
public abstract class Storage
{
    protected Storage(DType dtype, int length)
    {
        DType = dtype;
        Length = length;
    }

    public DType DType { get; }

    public int Length { get; }

    public abstract Device Device { get; }

    /// <summary>Bumped by every in-place write; saved tensors compare it at backward time.</summary>
    public int Version { get; internal set; }
}
