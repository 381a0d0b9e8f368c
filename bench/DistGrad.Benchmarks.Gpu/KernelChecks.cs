using DistGrad.Nn;

namespace DistGrad.Benchmarks.Gpu;

/// <summary>
/// The op set of MLP and CNN training on the device against the CPU backend, printed as a markdown table. Sizes are
/// odd on purpose (tile edges); the emulator gets small ones.
/// </summary>
internal static class KernelChecks
{
    public static int Run(Device device, bool small)
    {
        var s = small ? 1 : 8;
        var checks = new (string Name, double Tolerance, Func<Func<Tensor, Tensor>, Tensor> Op)[]
        {
            ("unary exp/tanh/sigmoid/relu", 1e-5, mv => { var x = mv(R(1, 33 * s, 17)); return x.Exp() + x.Tanh() + x.Sigmoid() + x.Relu(); }),
            ("binary broadcast + - * /", 1e-5, mv => { var x = mv(R(2, 33 * s, 17)); var b = mv(R(3, 17)); return ((x + b) * (x - b) / (b.Abs() + 1)).T; }),
            ("compare and mask fill", 0, mv => { var x = mv(R(4, 65, 9)); return x.Clone().MaskedFillInPlace(x > 0.3, Tensor.Scalar(-2f)); }),
            ("sum / mean / max along dims", 1e-4, mv => { var x = mv(R(5, 7, 129 * s, 5)); return x.Sum(1) + x.Mean([0, 2], keepDim: true).Sum() + x.Max(); }),
            ("argmax", 0, mv => mv(R(6, 33 * s, 10)).ArgMax(1)),
            ($"gemm {129 * s}x{67 * s}x{65 * s}", 1e-4, mv => mv(R(7, 129 * s, 67 * s)).Mm(mv(R(8, 67 * s, 65 * s)))),
            ("gemm transposed, batched", 1e-4, mv => mv(R(9, 3, 33 * s, 31)).Transpose(1, 2).Bmm(mv(R(10, 3, 33 * s, 17)))),
            ("float64 gemm", 1e-10, mv => mv(R(11, 65, 33).Double()).Mm(mv(R(12, 33, 65).Double()))),
            ("log_softmax", 1e-5, mv => mv(R(13, 33 * s, 10)).LogSoftmax(1)),
            ("cross entropy + backward", 1e-5, mv => Grad(mv, x => Functional.CrossEntropy(x, mv(Labels(33 * s))), R(14, 33 * s, 10))),
            ("linear + relu backward", 1e-4, mv => Grad(mv, x => Functional.Linear(x, mv(R(15, 31, 64)), mv(R(16, 31))).Relu().Sum(), R(17, 17 * s, 64))),
            ("conv2d forward", 1e-4, mv => Tensor.Conv2d(mv(R(18, 2 * s, 3, 13, 11)), mv(R(19, 8, 3, 3, 3)), mv(R(20, 8)), stride: 1, padding: 1)),
            ("conv2d input grad", 1e-4, mv => Grad(mv, x => Tensor.Conv2d(x, mv(R(21, 8, 3, 3, 3)), null, stride: 2, padding: 1).Tanh().Sum(), R(22, 2 * s, 3, 13, 11))),
            ("conv2d weight grad", 1e-4, mv => Grad(mv, w => Tensor.Conv2d(mv(R(23, 2 * s, 3, 13, 11)), w, null, stride: 1, padding: 1).Tanh().Sum(), R(24, 8, 3, 3, 3))),
            ("max_pool2d + backward", 1e-5, mv => Grad(mv, x => x.MaxPool2d(2).Sum(), R(25, 2 * s, 3, 13, 11))),
            ("gather / scatter_add / index_select", 1e-5, mv => { var x = mv(R(26, 9, 33)); var i = mv(Labels(9).Unsqueeze(1)); return x.Gather(1, i).Sum() + x.IndexSelect(0, mv(Labels(5))).Sum(0); }),
            ("masked_select", 0, mv => { var x = mv(R(27, 31, 33 * s)); return x[x > 0.5]; }),
            ("gelu + erf", 1e-5, mv => { var x = mv(R(28, 33, 17)); return x.Gelu() + x.Erf(); }),
        };

        Console.WriteLine();
        Console.WriteLine($"| kernel check ({device} vs cpu) | max abs error | result |");
        Console.WriteLine("| --- | --- | --- |");
        var failures = 0;
        foreach (var (name, tolerance, op) in checks)
        {
            string error, result;
            try
            {
                var expected = op(t => t).ToArray<double>();
                var actual = op(t => t.To(device)).ToArray<double>();
                var worst = 0.0;
                var ok = expected.Length == actual.Length;
                for (var i = 0; ok && i < expected.Length; i++)
                {
                    var diff = Math.Abs(expected[i] - actual[i]);
                    worst = Math.Max(worst, double.IsNaN(diff) && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])) ? double.PositiveInfinity : double.IsNaN(diff) ? 0 : diff);
                    ok &= worst <= tolerance * (1 + Math.Abs(expected[i]));
                }

                (error, result) = (worst.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), ok ? "ok" : "FAIL");
            }
            catch (Exception e)
            {
                (error, result) = ("-", $"FAIL: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }

            failures += result == "ok" ? 0 : 1;
            Console.WriteLine($"| {name} | {error} | {result} |");
        }

        Console.WriteLine();
        return failures;
    }

    private static Tensor R(int seed, params int[] shape) => Tensor.Randn(shape, generator: new Generator(seed));

    private static Tensor Labels(int n) => Tensor.RandInt(0, 5, [n], new Generator(n));

    /// <summary>The gradient of f at x (x made on the CPU, moved by mv), flattened.</summary>
    private static Tensor Grad(Func<Tensor, Tensor> mv, Func<Tensor, Tensor> f, Tensor x)
    {
        var leaf = mv(x).Detach().Clone().SetRequiresGrad();
        f(leaf).Backward();
        return leaf.Grad!.Reshape(-1);
    }
}
