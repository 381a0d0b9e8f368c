namespace DistGrad.Nn;

public abstract partial class Module
{
    /// <summary>
    /// Moves every parameter and buffer (with their gradients) to <paramref name="device"/> in place and returns this
    /// module (torch.nn.Module.to). Optimizers made before keep working: they hold the same tensor objects.
    /// </summary>
    public Module To(Device device)
    {
        foreach (var module in Modules())
        {
            foreach (var (_, value) in module._parameters)
            {
                value?.MoveTo(device);
            }

            foreach (var (_, value) in module._buffers)
            {
                value.MoveTo(device);
            }
        }

        return this;
    }
}
