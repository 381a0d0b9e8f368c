namespace DistGrad.Kernels.Ilgpu;

/// <summary>
/// Compile-time sizes of the kernels that work in groups with shared memory. A GPU gets 256-thread groups; the
/// CPU emulator gets 16-thread ones, because each barrier there switches between OS threads. The kernels are
/// the same code, so the emulator tests what the GPU runs.
/// </summary>
internal interface ITileConfig
{
    /// <summary>GEMM: threads along each side of a group; each thread computes a 4×4 block, so a tile is 4·Side square.</summary>
    int Side { get; }

    /// <summary>GEMM: the K extent of the tiles staged in shared memory.</summary>
    int Depth { get; }

    /// <summary>Side · Side: the threads of a group (also the group size of the block reductions).</summary>
    int Threads { get; }

    /// <summary>4 · Side · Depth: the elements of one staged tile.</summary>
    int TileElements { get; }
}

internal readonly struct GpuTiles : ITileConfig
{
    public int Side => 16;

    public int Depth => 16;

    public int Threads => 256;

    public int TileElements => 1024;
}

internal readonly struct EmulatorTiles : ITileConfig
{
    public int Side => 4;

    public int Depth => 4;

    public int Threads => 16;

    public int TileElements => 64;
}
