namespace DistGrad;

/// <summary>
/// A seeded source of random numbers (xoshiro256**, seeded through SplitMix64). Every random draw in
/// DistGrad takes one, so a run repeats from its seed. The stream is DistGrad's own: it does not
/// reproduce PyTorch's Mersenne-Twister values.
/// </summary>
public sealed class Generator
{
    private static readonly Generator DefaultGenerator = new(0);
    private readonly Lock _gate = new();
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public Generator(long seed = 0) => Seed(seed);

    /// <summary>The generator used when no generator is passed (PyTorch's default generator).</summary>
    public static Generator Default => DefaultGenerator;

    /// <summary>The seed this generator was last seeded with.</summary>
    public long InitialSeed { get; private set; }

    /// <summary>Seeds the default generator (torch.manual_seed).</summary>
    public static Generator ManualSeed(long seed)
    {
        DefaultGenerator.Seed(seed);
        return DefaultGenerator;
    }

    /// <summary>Restarts this generator's stream from <paramref name="seed"/>.</summary>
    public Generator Seed(long seed)
    {
        lock (_gate)
        {
            InitialSeed = seed;
            var sm = (ulong)seed;
            _s0 = SplitMix(ref sm);
            _s1 = SplitMix(ref sm);
            _s2 = SplitMix(ref sm);
            _s3 = SplitMix(ref sm);
            _spareNormal = null;
        }

        return this;
    }

    /// <summary>The full state, for checkpoints: restoring it continues the stream exactly.</summary>
    public byte[] GetState()
    {
        lock (_gate)
        {
            var state = new byte[49];
            BitConverter.TryWriteBytes(state.AsSpan(0), _s0);
            BitConverter.TryWriteBytes(state.AsSpan(8), _s1);
            BitConverter.TryWriteBytes(state.AsSpan(16), _s2);
            BitConverter.TryWriteBytes(state.AsSpan(24), _s3);
            BitConverter.TryWriteBytes(state.AsSpan(32), InitialSeed);
            state[40] = _spareNormal.HasValue ? (byte)1 : (byte)0;
            BitConverter.TryWriteBytes(state.AsSpan(41), _spareNormal ?? 0);
            return state;
        }
    }

    public void SetState(byte[] state)
    {
        if (state.Length != 49)
        {
            throw new ArgumentException($"a generator state has 49 bytes, got {state.Length}", nameof(state));
        }

        lock (_gate)
        {
            _s0 = BitConverter.ToUInt64(state, 0);
            _s1 = BitConverter.ToUInt64(state, 8);
            _s2 = BitConverter.ToUInt64(state, 16);
            _s3 = BitConverter.ToUInt64(state, 24);
            InitialSeed = BitConverter.ToInt64(state, 32);
            _spareNormal = state[40] == 1 ? BitConverter.ToDouble(state, 41) : null;
        }
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        lock (_gate)
        {
            return NextDoubleUnlocked();
        }
    }

    /// <summary>Uniform integer in [0, bound).</summary>
    public long NextLong(long bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        lock (_gate)
        {
            // Rejection sampling keeps every value equally likely.
            var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
            ulong r;
            do
            {
                r = NextUInt64();
            }
            while (r >= limit);
            return (long)(r % (ulong)bound);
        }
    }

    /// <summary>Standard normal (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextNormal()
    {
        lock (_gate)
        {
            if (_spareNormal is { } spare)
            {
                _spareNormal = null;
                return spare;
            }

            double u1;
            do
            {
                u1 = NextDoubleUnlocked();
            }
            while (u1 <= double.Epsilon);
            var u2 = NextDoubleUnlocked();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            _spareNormal = radius * Math.Sin(2 * Math.PI * u2);
            return radius * Math.Cos(2 * Math.PI * u2);
        }
    }

    private double NextDoubleUnlocked() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
