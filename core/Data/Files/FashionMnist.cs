namespace DistGrad.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28×28 greyscale images of ten kinds of clothing, as
/// <see cref="TensorDataset"/>s shaped like torchvision's with ToTensor — X Float32 [N, 1, 28, 28] in
/// [0, 1], Y Int64 [N] class indices.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where <c>apt-get install dataset-fashion-mnist</c> puts the full set (60,000 + 10,000 images).</summary>
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    private const int Side = 28;

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The 6,000 + 1,000 image subset committed in the repository (data/fashion-mnist-subset), as the programs that
    /// ship it (the distgrad tool, coordinator, node-host, a container image) have it: in <c>data/fashion-mnist-subset</c>
    /// next to the program. Never searched for elsewhere: the full set, or any other, is given by path.
    /// </summary>
    public static string SubsetDirectory
    {
        get
        {
            var shipped = Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-subset");
            return File.Exists(Path.Combine(shipped, "train-images-idx3-ubyte.gz"))
                ? shipped
                : throw new DirectoryNotFoundException(
                    $"this program does not ship the Fashion-MNIST subset ({shipped} is missing): import data/FashionMnistSubset.props in its project, or train on --dataset fashion-mnist --data-dir DIR");
        }
    }

    /// <summary>The full set when it is installed, otherwise the repository's subset.</summary>
    public static string DefaultDirectory() =>
        File.Exists(Path.Combine(InstalledDirectory, "train-images-idx3-ubyte.gz")) ? InstalledDirectory : SubsetDirectory;

    /// <summary>
    /// The training split (<c>train-*</c> files) or the test split (<c>t10k-*</c>) from
    /// <paramref name="directory"/>, each file gzipped (<c>.gz</c>) or raw.
    /// </summary>
    public static TensorDataset Load(string directory, bool train)
    {
        var prefix = train ? "train" : "t10k";
        var images = IdxFile.Read(Locate(directory, $"{prefix}-images-idx3-ubyte"));
        var labels = IdxFile.Read(Locate(directory, $"{prefix}-labels-idx1-ubyte"));
        images.ExpectDims(3, "images");
        labels.ExpectDims(1, "labels");
        if (images.Dims[1] != Side || images.Dims[2] != Side || images.Element != IdxElement.UByte)
        {
            throw new InvalidDataException($"{images.Path}: Fashion-MNIST images are 28×28 unsigned bytes, but this file holds {images.Element} of shape {Shapes.Format(images.Dims)}");
        }

        if (images.Dims[0] != labels.Dims[0])
        {
            throw new InvalidDataException($"{images.Path} has {images.Dims[0]} images but {labels.Path} has {labels.Dims[0]} labels");
        }

        var y = Idx.Decode<long>(labels);
        var bad = Array.FindIndex(y, label => label < 0 || label >= Classes.Count);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labels.Path}: label {y[bad]} at index {bad} is not a Fashion-MNIST class (0–9)");
        }

        // torchvision's ToTensor: the byte divided by 255 in float32.
        var x = new float[images.Data.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = images.Data[i] / 255f;
        }

        var n = images.Dims[0];
        return new TensorDataset(Tensor.From(x, [n, 1, Side, Side]), Tensor.From(y, [n]));
    }

    private static string Locate(string directory, string name)
    {
        var gz = Path.Combine(directory, name + ".gz");
        var raw = Path.Combine(directory, name);
        return File.Exists(gz) ? gz
            : File.Exists(raw) ? raw
            : throw new FileNotFoundException($"Fashion-MNIST file not found: neither {gz} nor {raw} exists", gz);
    }
}
