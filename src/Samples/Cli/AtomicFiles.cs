namespace FeatureMaps.Samples.Cli;

/// <summary>
/// A file written so that a killed run leaves either the old content or the complete new content, never a partial
/// file: the bytes go to a uniquely named temporary file in the same folder, which <see cref="Commit"/> renames over
/// the target (a single step within one file system). Disposing without committing deletes the temporary file. No
/// fsync: this guards against a killed process, not against power loss.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private bool _committed;

    private AtomicFile(string path)
    {
        _path = path;
        _temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        Stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
    }

    public Stream Stream { get; }

    public static AtomicFile Create(string path) => new(path);

    public void Commit()
    {
        Stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
            return;
        Stream.Dispose();
        File.Delete(_temporary);
    }
}

/// <summary>
/// Whole-file atomic writes and the clean-up of what killed writers leave. The temporary names match the library's
/// <c>BeltPlot.SavePng</c>, so <see cref="DeleteTemporaries"/> removes leftovers of either.
/// </summary>
internal static class AtomicFiles
{
    /// <summary>The names temporary files get: <c>&lt;target&gt;.tmp-&lt;random&gt;</c>.</summary>
    public const string TemporaryPattern = "*.tmp-*";

    public static void Write(string path, Action<Stream> write)
    {
        using var file = AtomicFile.Create(path);
        write(file.Stream);
        file.Commit();
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Deletes the temporary files of <paramref name="target"/> (a file name in <paramref name="folder"/>).</summary>
    public static void DeleteTemporaries(string folder, string target)
    {
        if (!Directory.Exists(folder))
            return;
        foreach (var file in Directory.EnumerateFiles(folder, target + TemporaryPattern[1..]))
            File.Delete(file);
    }
}
