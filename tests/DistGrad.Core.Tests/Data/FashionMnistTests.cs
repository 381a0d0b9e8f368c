using DistGrad.Data;

namespace DistGrad.Tests.Data;

/// <summary>The committed Fashion-MNIST subset loads as torchvision would give it; expected values from data/make_subset.py's output.</summary>
public sealed class FashionMnistTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SubsetDirectoryIsTheCopyNextToTheProgram()
    {
        var dir = FashionMnist.SubsetDirectory;
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-subset"), dir);
        foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            Assert.True(File.Exists(Path.Combine(dir, name)), name);
        }
    }

    [Fact]
    public void DefaultDirectoryPrefersTheInstalledFullSet()
    {
        var expected = File.Exists(Path.Combine(FashionMnist.InstalledDirectory, "train-images-idx3-ubyte.gz"))
            ? FashionMnist.InstalledDirectory
            : FashionMnist.SubsetDirectory;
        Assert.Equal(expected, FashionMnist.DefaultDirectory());
    }

    [Fact]
    public void TrainingSubsetHasTorchvisionShapesAndScaling()
    {
        var train = FashionMnist.Load(FashionMnist.SubsetDirectory, train: true);
        Assert.Equal(6000, train.Count);
        Assert.Equal([6000, 1, 28, 28], train.X.Shape);
        Assert.Equal(DType.Float32, train.X.DType);
        Assert.Equal([6000], train.Y.Shape);
        Assert.Equal(DType.Int64, train.Y.DType);

        var labels = train.Y.ToArray<long>();
        Assert.Equal([0L, 5, 8, 3, 2, 8, 4, 3, 1, 3], labels[..10]);
        Assert.Equal(1L, labels[^1]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(600, labels.Count(l => l == c)));

        var (x0, _) = train[0];
        var pixels = x0.ToArray<float>();
        Assert.Equal(28662 / 255.0, pixels.Sum(p => (double)p), 3);
        Assert.Equal(1f, pixels.Max());
        Assert.Equal(85 / 255f, x0[0, 14, 14].Item(), 6);
        Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void TestSubsetHasAThousandBalancedImages()
    {
        var test = FashionMnist.Load(FashionMnist.SubsetDirectory, train: false);
        Assert.Equal(1000, test.Count);
        var labels = test.Y.ToArray<long>();
        Assert.Equal([6L, 4, 4, 8, 8, 9, 5, 0, 3, 8], labels[..10]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(100, labels.Count(l => l == c)));
        Assert.Equal(50309 / 255.0, test[999].X.ToArray<float>().Sum(p => (double)p), 3);
    }

    [Fact]
    public void LoadsRawFilesToo()
    {
        File.WriteAllBytes(_folder.File("t10k-images-idx3-ubyte"), IdxBytes.UBytes([2, 28, 28], i => (byte)(i % 256)));
        File.WriteAllBytes(_folder.File("t10k-labels-idx1-ubyte"), IdxBytes.UBytes([2], i => (byte)(9 - i)));
        var test = FashionMnist.Load(_folder.Path, train: false);
        Assert.Equal([9L, 8], test.Y.ToArray<long>());
        Assert.Equal(255f / 255f, test.X.ToArray<float>()[255]);
    }

    [Fact]
    public void MissingFilesNameBothCandidates()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(_folder.Path, train: true));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains(_folder.Path, e.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        File.WriteAllBytes(_folder.File("train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([3, 28, 28], i => 0)));
        File.WriteAllBytes(_folder.File("train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([2], i => 0)));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_folder.Path, train: true));
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Fact]
    public void WrongImageSizeAndBadLabelsAreErrors()
    {
        File.WriteAllBytes(_folder.File("train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([2, 32, 32], i => 0)));
        File.WriteAllBytes(_folder.File("train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([2], i => 0)));
        Assert.Contains("28×28", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_folder.Path, train: true)).Message);

        File.WriteAllBytes(_folder.File("train-images-idx3-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([2, 28, 28], i => 0)));
        File.WriteAllBytes(_folder.File("train-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.UBytes([2], i => (byte)(i * 10))));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_folder.Path, train: true));
        Assert.Contains("label 10 at index 1", e.Message);
    }

    [Fact]
    public void TruncatedSubsetFileNamesTheFile()
    {
        var source = Path.Combine(FashionMnist.SubsetDirectory, "t10k-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(_folder.File("t10k-images-idx3-ubyte.gz"), bytes[..(bytes.Length / 3)]);
        File.Copy(Path.Combine(FashionMnist.SubsetDirectory, "t10k-labels-idx1-ubyte.gz"), _folder.File("t10k-labels-idx1-ubyte.gz"));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(_folder.Path, train: false));
        Assert.StartsWith(_folder.File("t10k-images-idx3-ubyte.gz"), e.Message);
    }
}
