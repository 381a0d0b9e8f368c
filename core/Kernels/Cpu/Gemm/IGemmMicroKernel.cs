namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// The innermost GEMM step: one MR×NR tile of C from a packed A sliver (kc columns of MR values) and a
/// packed B sliver (kc rows of NR values). Implementations are structs so the blocked driver is compiled
/// once per kernel and the call inlines.
/// </summary>
internal interface IGemmMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile.</summary>
    static abstract int NR { get; }

    /// <summary>
    /// c[i, j] (+)= Σ_p a[p·MR + i] · b[p·NR + j] for the full tile; c has unit column stride and row stride
    /// <paramref name="ldc"/>. Overwrites c unless <paramref name="accumulate"/>.
    /// </summary>
    static abstract unsafe void Run(int kc, T* a, T* b, T* c, nint ldc, bool accumulate);
}
