using System.Diagnostics;
using DistGrad.Nn;

namespace DistGrad.Distributed.Pipeline;

/// <summary>Measures each layer's forward time on a sample input, feeding each layer the previous one's output.</summary>
public static class ForwardProfile
{
    private const int Warmups = 2;
    private const int Repeats = 5;

    /// <summary>The median forward milliseconds of each layer, in order.</summary>
    public static double[] Measure(IReadOnlyList<Module> layers, Tensor input)
    {
        var times = new double[layers.Count];
        using (Autograd.NoGrad())
        {
            for (var i = 0; i < layers.Count; i++)
            {
                var samples = new double[Repeats];
                Tensor output = input;
                for (var r = 0; r < Warmups + Repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    output = layers[i].Forward(input);
                    if (r >= Warmups)
                    {
                        samples[r - Warmups] = clock.Elapsed.TotalMilliseconds;
                    }
                }

                Array.Sort(samples);
                times[i] = samples[Repeats / 2];
                input = output;
            }
        }

        return times;
    }
}
