using System.Collections.Concurrent;

namespace DistGrad.Tests.Kernels;

/// <summary>A worker limits the kernels it calls to its share of the cores; results do not depend on the share.</summary>
public class CpuThreadsTests
{
    [Fact]
    public void A_limit_of_one_keeps_the_work_on_the_calling_thread()
    {
        var threads = new ConcurrentBag<int>();
        var previous = CpuThreads.Limit;
        try
        {
            CpuThreads.Limit = 1;
            Assert.Equal(1, CpuThreads.Available);
            CpuThreads.For(0, 64, _ => threads.Add(Environment.CurrentManagedThreadId));
        }
        finally
        {
            CpuThreads.Limit = previous;
        }

        Assert.Equal([Environment.CurrentManagedThreadId], threads.Distinct());
    }

    [Fact]
    public void The_limit_belongs_to_the_thread_that_sets_it()
    {
        var previous = CpuThreads.Limit;
        try
        {
            CpuThreads.Limit = 1;
            var elsewhere = -1;
            var other = new Thread(() => elsewhere = CpuThreads.Limit);
            other.Start();
            other.Join();
            Assert.Equal(0, elsewhere);
        }
        finally
        {
            CpuThreads.Limit = previous;
        }
    }

    [Fact]
    public void Products_and_convolutions_are_the_same_on_one_thread_as_on_all()
    {
        var g = new Generator(3);
        var a = Tensor.Randn([300, 200], generator: g);
        var b = Tensor.Randn([200, 500], generator: g);
        var x = Tensor.Randn([8, 3, 20, 20], generator: g);
        var w = Tensor.Randn([16, 3, 3, 3], generator: g);
        var all = (a.MatMul(b).ToArray<float>(), Tensor.Conv2d(x, w).ToArray<float>());
        var previous = CpuThreads.Limit;
        try
        {
            CpuThreads.Limit = 1;
            Assert.Equal(all.Item1, a.MatMul(b).ToArray<float>());
            Assert.Equal(all.Item2, Tensor.Conv2d(x, w).ToArray<float>());
        }
        finally
        {
            CpuThreads.Limit = previous;
        }
    }

    [Fact]
    public void A_negative_limit_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuThreads.Limit = -1);
    }
}
