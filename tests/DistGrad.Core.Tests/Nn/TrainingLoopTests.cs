namespace DistGrad.Tests.Nn;

using DistGrad.Data;
using DistGrad.Nn;
using DistGrad.Optim;

/// <summary>The seed's training loop, as API.md writes it, on the committed Fashion-MNIST subset.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class TrainingLoopTests
{
    [Fact]
    public void TheSeedsLoopTrainsAnMlpOnTheSubset()
    {
        Generator.ManualSeed(0);
        var train = FashionMnist.Load(FashionMnist.SubsetDirectory, train: true);
        var test = FashionMnist.Load(FashionMnist.SubsetDirectory, train: false);
        var model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
        var optimizer = new SGD(model.Parameters(), lr: 0.1, momentum: 0.9);
        var loader = new DataLoader(train, batchSize: 128, shuffle: true);

        var firstLoss = double.NaN;
        foreach (var (xb, yb) in loader)
        {
            optimizer.ZeroGrad();
            var yPred = model.Forward(xb);
            var loss = Functional.CrossEntropy(yPred, yb);
            loss.Backward();
            optimizer.Step();
            firstLoss = double.IsNaN(firstLoss) ? loss.Item() : firstLoss;
        }

        model.Eval();
        double accuracy;
        using (Autograd.NoGrad())
        {
            var (x, y) = test.GetBatch(Enumerable.Range(0, test.Count).ToArray());
            accuracy = model.Forward(x).ArgMax(1).Eq(y).Sum().Item() / test.Count;
        }

        // One epoch over 6,000 images: the loss starts near ln 10 and the model beats chance by far.
        Assert.InRange(firstLoss, 2.0, 2.6);
        Assert.True(accuracy > 0.65, $"test accuracy after one epoch on the subset was {accuracy:F3}");
    }
}
