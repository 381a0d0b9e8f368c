namespace DistGrad.Distributed.Running;

/// <summary>
/// A file of one JSON object per line, written a line at a time and flushed. Appending, it writes each line
/// at the file's current end: a standby coordinator opens the run directory long before it takes the job
/// over, while the first coordinator still writes the same files.
/// </summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;

    public JsonLinesFile(string path, bool append)
    {
        _stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        _writer = new StreamWriter(_stream);
    }

    public void WriteLine(string line)
    {
        _stream.Seek(0, SeekOrigin.End);
        _writer.WriteLine(line);
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
