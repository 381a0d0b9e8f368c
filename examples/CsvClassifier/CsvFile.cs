using System.Globalization;
using DistGrad;
using DistGrad.Data;

namespace CsvClassifier;

/// <summary>
/// A CSV file with a header row, numeric feature columns and an integer class column: the kind of file a
/// team already has. Features are standardised with the training file's mean and standard deviation.
/// </summary>
public static class CsvFile
{
    public sealed record Table(string[] Features, float[,] X, long[] Y);

    public static Table Read(string path, string labelColumn)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the CSV file '{path}' does not exist (give --data-dir with train.csv and test.csv)");
        }

        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var label = Array.IndexOf(header, labelColumn);
        if (label < 0)
        {
            throw new InvalidDataException($"{path}: no column named '{labelColumn}' (columns: {string.Join(", ", header)})");
        }

        var x = new float[lines.Length - 1, header.Length - 1];
        var y = new long[lines.Length - 1];
        for (var row = 1; row < lines.Length; row++)
        {
            var cells = lines[row].Split(',');
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{path}:{row + 1}: {cells.Length} cells, the header has {header.Length}");
            }

            for (int column = 0, feature = 0; column < cells.Length; column++)
            {
                if (column == label)
                {
                    y[row - 1] = long.Parse(cells[column], CultureInfo.InvariantCulture);
                }
                else
                {
                    x[row - 1, feature++] = float.Parse(cells[column], CultureInfo.InvariantCulture);
                }
            }
        }

        return new Table(header.Where((_, i) => i != label).ToArray(), x, y);
    }

    /// <summary>The table as a dataset, each feature standardised with <paramref name="statistics"/> (the training table's).</summary>
    public static TensorDataset ToDataset(Table table, Table statistics)
    {
        var rows = table.X.GetLength(0);
        var columns = table.X.GetLength(1);
        var x = new float[rows * columns];
        for (var c = 0; c < columns; c++)
        {
            var values = Enumerable.Range(0, statistics.X.GetLength(0)).Select(r => (double)statistics.X[r, c]).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            for (var r = 0; r < rows; r++)
            {
                x[(r * columns) + c] = (float)((table.X[r, c] - mean) / (std > 0 ? std : 1));
            }
        }

        return new TensorDataset(Tensor.From(x, [rows, columns]), Tensor.From(table.Y));
    }
}
