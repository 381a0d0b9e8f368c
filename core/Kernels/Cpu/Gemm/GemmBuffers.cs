using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistGrad.Kernels.Cpu.Gemm;

/// <summary>
/// Per-thread pack buffers, kept for the thread's life so steady-state GEMMs allocate nothing. They live on
/// the pinned object heap (they never move, so a pointer taken once stays valid) and are handed out from a
/// 64-byte boundary so packed slivers start on cache lines and vector loads never split one.
/// </summary>
internal static unsafe class GemmBuffers<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static T[]? _a;

    [ThreadStatic]
    private static T[]? _b;

    /// <summary>Room for <paramref name="length"/> elements of packed A on this thread.</summary>
    public static T* A(int length) => Aligned(ref _a, length);

    /// <summary>Room for <paramref name="length"/> elements of packed B on this thread.</summary>
    public static T* B(int length) => Aligned(ref _b, length);

    private static T* Aligned(ref T[]? buffer, int length)
    {
        var slack = Alignment / sizeof(T);
        if (buffer == null || buffer.Length < length + slack)
        {
            // Grow geometrically so a run of growing shapes does not reallocate each time.
            var size = Math.Max(length + slack, (buffer?.Length ?? 0) * 3 / 2);
            buffer = GC.AllocateUninitializedArray<T>(size, pinned: true);
        }

        var start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        var aligned = (start + Alignment - 1) & ~(nint)(Alignment - 1);
        return (T*)aligned;
    }
}
