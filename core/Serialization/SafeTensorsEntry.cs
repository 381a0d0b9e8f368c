namespace DistGrad.Serialization;

/// <summary>One tensor's header entry: its name, dtype, shape and byte range within the data section.</summary>
internal sealed record SafeTensorsEntry(string Name, DType DType, int[] Shape, long Begin, long End);
