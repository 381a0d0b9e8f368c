namespace DistGrad.Tests.Engine;

/// <summary>Grad mode: nesting of NoGrad/EnableGrad/SetGradEnabled, and that it is per thread.</summary>
public class GradModeTests
{
    [Fact]
    public void ScopesNestAndRestore()
    {
        var x = Tensor.Scalar(1f, requiresGrad: true);
        using (Autograd.NoGrad())
        {
            Assert.False((x * 2).RequiresGrad);
            using (Autograd.EnableGrad())
            {
                Assert.True((x * 2).RequiresGrad);
                using (Autograd.NoGrad())
                {
                    Assert.False(Autograd.IsGradEnabled);
                }

                Assert.True(Autograd.IsGradEnabled);
            }

            Assert.False(Autograd.IsGradEnabled);
        }

        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public void DisposingTwiceRestoresOnlyOnce()
    {
        var scope = Autograd.NoGrad();
        scope.Dispose();
        Autograd.SetGradEnabled(false);
        scope.Dispose();
        Assert.False(Autograd.IsGradEnabled);
        Autograd.SetGradEnabled(true);
    }

    [Fact]
    public void GradModeIsPerThread()
    {
        var x = Tensor.Scalar(1f, requiresGrad: true);
        var otherThread = false;
        using (Autograd.NoGrad())
        {
            var thread = new Thread(() => otherThread = (x * 2).RequiresGrad);
            thread.Start();
            thread.Join();
            Assert.False((x * 2).RequiresGrad);
        }

        Assert.True(otherThread);
    }

    [Fact]
    public void InPlaceOnLeafIsAllowedUnderNoGrad()
    {
        var w = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        using (Autograd.NoGrad())
        {
            w.SubInPlace(Tensor.From(new[] { 0.5f, 0.5f }));
        }

        Assert.Equal([0.5f, 1.5f], w.ToArray<float>());
        Assert.True(w.IsLeaf);
        Assert.Equal(1, w.Version);
    }

    [Fact]
    public void RequiresGradRulesForLeaves()
    {
        var x = Tensor.Scalar(1f);
        Assert.False(x.RequiresGrad);
        x.RequiresGrad = true;
        Assert.True(x.IsLeaf);
        var y = x * 2;
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true); // PyTorch's attribute refuses non-leaves
        Assert.Same(y, y.SetRequiresGrad(true)); // requires_grad_(True) on a non-leaf is a no-op
        Assert.Same(x, x.SetRequiresGrad(false));
        Assert.False(x.RequiresGrad);
    }
}
