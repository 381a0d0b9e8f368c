namespace DistGrad;

/// <summary>
/// Gradient checkpointing (torch.utils.checkpoint): runs a segment without keeping its activations and
/// recomputes them during backward, trading compute for memory. The default generator's state is
/// restored for the recomputation, so dropout inside draws the same mask.
/// </summary>
public static class Checkpoint
{
    public static Tensor Run(Func<Tensor, Tensor> function, Tensor input) => Run(inputs => function(inputs[0]), [input]);

    public static Tensor Run(Func<Tensor[], Tensor> function, params Tensor[] inputs) => CheckpointFunction.Apply([function, .. inputs]);

    /// <summary>The segment as a custom function: forward keeps only the inputs; backward recomputes and backpropagates.</summary>
    private sealed class CheckpointFunction : Function<CheckpointFunction>
    {
        public override Tensor[] ForwardMany(FunctionContext ctx, object?[] args)
        {
            var function = (Func<Tensor[], Tensor>)args[0]!;
            var inputs = args.Skip(1).Cast<Tensor>().ToArray();
            ctx["function"] = function;
            ctx["rngState"] = Generator.Default.GetState();
            ctx.SaveForBackward(inputs);
            return [function(inputs)];
        }

        public override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var saved = ctx.SavedTensors;
            var inputs = saved.Select((t, i) => t.Detach().SetRequiresGrad(ctx.NeedsInputGrad[i + 1])).ToArray();

            // Replay the forward with the random state it started from, then put the stream back.
            var current = Generator.Default.GetState();
            Generator.Default.SetState(ctx.Get<byte[]>("rngState"));
            Tensor output;
            try
            {
                using (Autograd.EnableGrad())
                {
                    output = ctx.Get<Func<Tensor[], Tensor>>("function")(inputs);
                }
            }
            finally
            {
                Generator.Default.SetState(current);
            }

            if (output.RequiresGrad)
            {
                // Parameters the segment closes over accumulate here, as in PyTorch's reentrant checkpoint.
                Autograd.Backward([output], [gradOutput]);
            }

            return [null, .. inputs.Select(t => t.RequiresGrad ? t.Grad : null)];
        }
    }
}
