namespace FeatureMaps.MLNet.Rendering;

/// <summary>Writes files so that readers see either the old content or the complete new content, never a partial file.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes to a uniquely named temporary file in the same folder, then renames it over <paramref name="path"/>;
    /// a rename within one file system replaces the file in a single step. The temporary file is removed on failure.
    /// There is no fsync: this guards against a killed process, not against power loss.
    /// </summary>
    /// <exception cref="IOException">The file could not be written (disk full, no permission, ...); the message names
    /// <paramref name="path"/>, and its old content, if any, is kept.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                stream.Write(bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            // .NET reports EFBIG (beyond the process's file size limit) as ArgumentOutOfRangeException.
            TryDelete(temporary);
            var reason = e is ArgumentOutOfRangeException ? "the file grew larger than this process may write (file size limit)" : e.Message;
            throw new IOException($"Cannot write '{path}': {reason}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
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
            // The original failure is the one worth reporting; a leftover temporary file is the lesser problem.
        }
    }
}
