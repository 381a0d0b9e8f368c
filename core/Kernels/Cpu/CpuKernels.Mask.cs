namespace DistGrad.Kernels.Cpu;

/// <summary>Boolean-mask kernels: fill, select and scatter in row-major order.</summary>
internal sealed partial class CpuKernels
{
    public void MaskedFill(Tensor destination, Tensor mask, double value)
    {
        var filler = NewTensor(destination.DType, []);
        Fill(filler, value);
        MaskedWrite(destination, mask, filler.Strided(destination.Shape, new int[destination.Dim], 0));
    }

    public Tensor MaskedSelect(Tensor source, Tensor mask)
    {
        var flatSource = Dense(source);
        var flatMask = Span<bool>(Dense(mask));
        var count = 0;
        foreach (var m in flatMask)
        {
            count += m ? 1 : 0;
        }

        var result = NewTensor(source.DType, [count]);
        var positions = new int[count];
        for (int i = 0, j = 0; i < flatMask.Length; i++)
        {
            if (flatMask[i])
            {
                positions[j++] = i;
            }
        }

        switch (source.DType)
        {
            case DType.Float32: Gather<float>(flatSource, positions, result); break;
            case DType.Float64: Gather<double>(flatSource, positions, result); break;
            case DType.Int64: Gather<long>(flatSource, positions, result); break;
            default: Gather<bool>(flatSource, positions, result); break;
        }

        return result;
    }

    public void MaskedScatter(Tensor destination, Tensor mask, Tensor values)
    {
        // Spread the values over the masked positions (row-major), then write them through the mask.
        var spread = NewTensor(destination.DType, destination.Shape);
        var flatMask = Span<bool>(Dense(mask));
        var source = Dense(values);
        switch (destination.DType)
        {
            case DType.Float32: Spread<float>(source, flatMask, spread); break;
            case DType.Float64: Spread<double>(source, flatMask, spread); break;
            case DType.Int64: Spread<long>(source, flatMask, spread); break;
            default: Spread<bool>(source, flatMask, spread); break;
        }

        MaskedWrite(destination, mask, spread);
    }

    private static void Gather<T>(Tensor dense, int[] positions, Tensor result)
    {
        var src = Span<T>(dense);
        var dst = CpuStorage.Of<T>(result);
        for (var j = 0; j < positions.Length; j++)
        {
            dst[j] = src[positions[j]];
        }
    }

    private static void Spread<T>(Tensor values, ReadOnlySpan<bool> mask, Tensor spread)
    {
        var src = Span<T>(values);
        var dst = CpuStorage.Of<T>(spread);
        for (int i = 0, j = 0; i < mask.Length; i++)
        {
            if (mask[i])
            {
                if (j >= src.Length)
                {
                    throw new ArgumentException($"masked scatter: the mask selects more elements than the {src.Length} values given");
                }

                dst[i] = src[j++];
            }
        }
    }

    /// <summary>destination[i] = source[i] where mask[i]; all three of one shape, any strides.</summary>
    private static void MaskedWrite(Tensor destination, Tensor mask, Tensor source)
    {
        switch (destination.DType)
        {
            case DType.Float32: MaskedWrite<float>(destination, mask, source); break;
            case DType.Float64: MaskedWrite<double>(destination, mask, source); break;
            case DType.Int64: MaskedWrite<long>(destination, mask, source); break;
            default: MaskedWrite<bool>(destination, mask, source); break;
        }
    }

    private static void MaskedWrite<T>(Tensor destination, Tensor mask, Tensor source)
    {
        var dst = CpuStorage.Of<T>(destination);
        var msk = CpuStorage.Of<bool>(mask);
        var src = CpuStorage.Of<T>(source);
        var cursor = Cursor(destination, mask, source);
        var n = cursor.RowLength;
        var (ds, ms, ss) = (cursor.InnerStrides[0], cursor.InnerStrides[1], cursor.InnerStrides[2]);
        for (var r = 0; r < cursor.Rows; r++)
        {
            var (dof, mo, so) = (cursor.Offsets[0], cursor.Offsets[1], cursor.Offsets[2]);
            for (var i = 0; i < n; i++)
            {
                if (msk[mo + (i * ms)])
                {
                    dst[dof + (i * ds)] = src[so + (i * ss)];
                }
            }

            cursor.Advance();
        }
    }
}
