using DistGrad.Nn;
using DistGrad.Optim;

namespace DistGrad.Tests.Kernels.Ilgpu;

/// <summary>Autograd and whole training steps on the emulator give the CPU's numbers.</summary>
[Collection(IlgpuCollection.Name)]
public class TrainingOnIlgpuTests
{
    [Fact]
    public void Backward_through_a_graph_of_many_ops_gives_the_cpu_gradients()
    {
        var a = OnBoth.Randn(1, DType.Float64, 4, 3);
        var b = OnBoth.Randn(2, DType.Float64, 3);
        Tensor[] Grads(Tensor[] i)
        {
            var (x, y) = (i[0].Detach().Clone().SetRequiresGrad(), i[1].Detach().Clone().SetRequiresGrad());
            var z = ((x * y).Tanh() + x.Sigmoid().Pow(2) - (y.Exp() / 3)).Relu().Softmax(1).Log().Mean() + x.T.Mm(x).Sum();
            z.Backward();
            return [x.Grad!, y.Grad!];
        }

        OnBoth.Check(i => Grads(i)[0], 1e-12, a, b);
        OnBoth.Check(i => Grads(i)[1], 1e-12, a, b);
    }

    [Fact]
    public void Gradients_stay_on_the_device_of_their_tensors()
    {
        var x = Tensor.Ones([2, 3]).To(OnBoth.Ilgpu).SetRequiresGrad();
        (x * x).Sum().Backward();
        Assert.Equal(OnBoth.Ilgpu, x.Grad!.Device);
        Assert.Equal(new[] { 2f, 2, 2, 2, 2, 2 }, x.Grad.ToArray<float>());
        Assert.Contains("device='ilgpu-cpu:0'", x.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Mlp_training_steps_on_the_emulator_match_the_cpu(string optimizerName)
    {
        var cpu = Train(Device.Cpu, optimizerName);
        var ilgpu = Train(OnBoth.Ilgpu, optimizerName);
        Assert.Equal(cpu.Losses.Length, ilgpu.Losses.Length);
        for (var i = 0; i < cpu.Losses.Length; i++)
        {
            Assert.True(Math.Abs(cpu.Losses[i] - ilgpu.Losses[i]) <= 1e-5 * (1 + Math.Abs(cpu.Losses[i])), $"loss {i}: cpu {cpu.Losses[i]}, ilgpu {ilgpu.Losses[i]}");
        }

        for (var p = 0; p < cpu.Parameters.Length; p++)
        {
            OnBoth.Close(cpu.Parameters[p], ilgpu.Parameters[p], 1e-5);
        }
    }

    [Fact]
    public void A_small_cnn_step_on_the_emulator_matches_the_cpu()
    {
        Tensor[] Step(Device device)
        {
            var model = new Sequential(new Conv2d(1, 2, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(2 * 3 * 3, 3));
            LoadSeeded(model, 11);
            model.To(device);
            var x = OnBoth.Randn(12, DType.Float32, 2, 1, 7, 7).To(device);
            var y = Tensor.From(new long[] { 2, 0 }).To(device);
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            return model.Parameters().Select(p => p.Grad!.To(Device.Cpu)).ToArray();
        }

        var (cpu, ilgpu) = (Step(Device.Cpu), Step(OnBoth.Ilgpu));
        for (var p = 0; p < cpu.Length; p++)
        {
            Assert.Equal(cpu[p].ToArray<float>().Select(v => Math.Round(v, 4)), ilgpu[p].ToArray<float>().Select(v => Math.Round(v, 4)));
        }
    }

    private static (double[] Losses, Tensor[] Parameters) Train(Device device, string optimizerName)
    {
        var model = new Sequential(new Linear(12, 7), new ReLU(), new Linear(7, 5));
        LoadSeeded(model, 7);
        model.To(device);
        Optimizer optimizer = optimizerName == "sgd" ? new SGD(model.Parameters(), lr: 0.1, momentum: 0.9) : new Adam(model.Parameters(), lr: 0.01);
        var x = OnBoth.Randn(8, DType.Float32, 9, 12).To(device);
        var y = Tensor.RandInt(0, 5, [9], new Generator(9)).To(device);
        var losses = new List<double>();
        for (var step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x), y);
            loss.Backward();
            optimizer.Step();
            losses.Add(loss.Item());
        }

        return ([.. losses], model.Parameters().Select(p => p.Detach()).ToArray());
    }

    /// <summary>The same seeded initial values on every device, set on the CPU before the model moves.</summary>
    private static void LoadSeeded(Module model, int seed)
    {
        var generator = new Generator(seed);
        using (Autograd.NoGrad())
        {
            foreach (var p in model.Parameters())
            {
                p.CopyFrom(Tensor.Randn(p.Shape, generator: generator) * 0.3);
            }
        }
    }
}
