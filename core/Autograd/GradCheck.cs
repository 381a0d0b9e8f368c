namespace DistGrad;

/// <summary>Thrown by <see cref="GradCheck"/> when analytical and numerical Jacobians disagree.</summary>
public sealed class GradCheckException(string message) : Exception(message);

/// <summary>
/// Compares the Jacobians autograd computes with central finite differences in float64, as
/// torch.autograd.gradcheck does: |analytical − numerical| ≤ atol + rtol·|numerical| for every entry.
/// </summary>
public static class GradCheck
{
    public static bool Check(Func<Tensor, Tensor> function, Tensor input, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true) =>
        Check(inputs => function(inputs[0]), [input], eps, atol, rtol, raiseException);

    public static bool Check(Func<Tensor[], Tensor> function, params Tensor[] inputs) => Check(function, inputs, 1e-6, 1e-5, 1e-3, true);

    public static bool Check(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        var differentiable = Enumerable.Range(0, inputs.Length).Where(i => inputs[i].RequiresGrad).ToArray();
        if (differentiable.Length == 0)
        {
            throw new ArgumentException("GradCheck expects at least one input tensor to require gradient, but none of them have RequiresGrad = true.");
        }

        foreach (var i in differentiable)
        {
            if (inputs[i].DType != DType.Float64)
            {
                throw new ArgumentException(
                    $"GradCheck: input {i} requires grad but is {inputs[i].DType.TorchName()}; finite differences need torch.float64 inputs (pass dtype: DType.Float64).");
            }
        }

        // Analytical Jacobians first: the finite differences perturb the inputs in place, which would
        // (rightly) invalidate the tensors the output's graph saved.
        var output = function(inputs);
        var outCount = output.Numel;
        var analyticals = differentiable.Select(i => Analytical(output, inputs[i], outCount)).ToArray();
        for (var c = 0; c < differentiable.Length; c++)
        {
            var i = differentiable[c];
            var analytical = analyticals[c];
            var numerical = Numerical(function, inputs, i, outCount, eps);
            if (!AllClose(analytical, numerical, atol, rtol))
            {
                if (!raiseException)
                {
                    return false;
                }

                var shape = new[] { inputs[i].Numel, outCount };
                throw new GradCheckException(
                    $"Jacobian mismatch for output 0 with respect to input {i},\n" +
                    $"numerical:{Tensor.From(numerical, shape)}\nanalytical:{Tensor.From(analytical, shape)}\n");
            }
        }

        return true;
    }

    /// <summary>J[j, k] = d output_k / d input_j by central differences, perturbing one element at a time.</summary>
    private static double[] Numerical(Func<Tensor[], Tensor> function, Tensor[] inputs, int which, int outCount, double eps)
    {
        var input = inputs[which];
        var jacobian = new double[input.Numel * outCount];

        // Perturb the data directly (no history); evaluate with grad mode as the caller has it, so that
        // functions which differentiate inside (second-order checks) still work.
        var data = input.Detach();
        for (var j = 0; j < input.Numel; j++)
        {
            var element = ElementView(data, j);
            var original = element.Item();
            element.FillInPlace(original + eps);
            var plus = function(inputs).ToArray<double>();
            element.FillInPlace(original - eps);
            var minus = function(inputs).ToArray<double>();
            element.FillInPlace(original);
            for (var k = 0; k < outCount; k++)
            {
                jacobian[(j * outCount) + k] = (plus[k] - minus[k]) / (2 * eps);
            }
        }

        return jacobian;
    }

    /// <summary>J[j, k] from one vector-Jacobian product per output element.</summary>
    private static double[] Analytical(Tensor output, Tensor input, int outCount)
    {
        var inCount = input.Numel;
        var jacobian = new double[inCount * outCount];
        if (!output.RequiresGrad)
        {
            return jacobian;
        }

        for (var k = 0; k < outCount; k++)
        {
            var oneHot = new double[outCount];
            oneHot[k] = 1;
            var gradOutput = Tensor.From(oneHot, output.Shape).To(output.DType);
            var grad = Autograd.Grad([output], [input], [gradOutput], retainGraph: true, allowUnused: true)[0];
            if (grad == null)
            {
                continue;
            }

            var values = grad.ToArray<double>();
            for (var j = 0; j < inCount; j++)
            {
                jacobian[(j * outCount) + k] = values[j];
            }
        }

        return jacobian;
    }

    private static Tensor ElementView(Tensor t, int flatIndex)
    {
        var view = t;
        var shape = t.ShapeRef;
        var stride = t.Numel;
        for (var d = 0; d < shape.Length; d++)
        {
            stride /= shape[d];
            view = view.Select(0, flatIndex / stride);
            flatIndex %= stride;
        }

        return view;
    }

    private static bool AllClose(double[] analytical, double[] numerical, double atol, double rtol)
    {
        for (var i = 0; i < analytical.Length; i++)
        {
            var diff = Math.Abs(analytical[i] - numerical[i]);
            if (!(diff <= atol + (rtol * Math.Abs(numerical[i]))))
            {
                return false;
            }
        }

        return true;
    }
}
