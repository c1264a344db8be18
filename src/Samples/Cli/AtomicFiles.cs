namespace FeatureMaps.Samples.Cli;

/// <summary>
/// A file written so that a killed run leaves either the old content or the complete new content, never a partial
/// file: the bytes go to a uniquely named temporary file in the same folder, which <see cref="Commit"/> renames over
/// the target (a single step within one file system). Disposing without committing deletes the temporary file, also
/// when the write failed halfway (disk full), so a failed write leaves the old file and no partial one. A failure
/// anywhere (create, write, flush, rename) is an <see cref="OutputWriteException"/> naming the target. No fsync: this
/// guards against a killed process and a full disk, not against power loss.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _file;
    private bool _committed;

    private AtomicFile(string path)
    {
        _path = path;
        _temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        _file = OutputWriteException.Translate(path, () => new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        Stream = new TargetNamingStream(_file, path);
    }

    /// <summary>Where to write; its failures name the target file, not the temporary one.</summary>
    public Stream Stream { get; }

    public static AtomicFile Create(string path) => new(path);

    public void Commit()
    {
        Stream.Dispose(); // flushes: on a full disk this is where buffered bytes fail
        OutputWriteException.Translate(_path, () => File.Move(_temporary, _path, overwrite: true));
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
            return;
        try
        {
            _file.Dispose(); // closes the handle even when the final flush fails
        }
        catch (Exception e) when (OutputWriteException.IsWriteFailure(e) || e is ObjectDisposedException)
        {
            // The write already failed and that error is the one being reported; what matters here is the clean-up.
        }
        finally
        {
            TryDelete(_temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for DeleteTemporaries of the next run; a leftover temporary is never taken for a result.
        }
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

    /// <exception cref="OutputWriteException">The file could not be written; the old content (if any) is kept.</exception>
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
