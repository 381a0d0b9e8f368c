using DistGrad;
using DistGrad.Data;

namespace ResidualSpirals;

/// <summary>Interleaved spiral arms in the plane, one class per arm, with Gaussian noise: drawn from a seed, so every worker generates the same set.</summary>
public static class Spirals
{
    public static TensorDataset Generate(int samples, int arms, long seed, double noise = 0.15)
    {
        var generator = new Generator(seed);
        var x = new float[samples * 2];
        var y = new long[samples];
        for (var i = 0; i < samples; i++)
        {
            var arm = i % arms;
            var radius = generator.NextDouble();
            var angle = (radius * 3.5 * Math.PI) + (2 * Math.PI * arm / arms);
            x[2 * i] = (float)((radius * Math.Cos(angle)) + (noise * radius * generator.NextNormal()));
            x[(2 * i) + 1] = (float)((radius * Math.Sin(angle)) + (noise * radius * generator.NextNormal()));
            y[i] = arm;
        }

        return new TensorDataset(Tensor.From(x, [samples, 2]), Tensor.From(y));
    }
}
