namespace DistGrad.Distributed.Collectives;

/// <summary>How <see cref="Communicator.AllReduceScalarAsync"/> combines the members' values.</summary>
public enum ReduceOp
{
    /// <summary>The sum, added in group order.</summary>
    Sum,

    /// <summary>The largest value (NaN wins, as in <see cref="Math.Max(double, double)"/>).</summary>
    Max,
}
