namespace FeatureMaps.Samples.Cli;

/// <summary>An output file that could not be written (disk full, file too large, no permission, folder gone).</summary>
internal sealed class OutputWriteException : IOException
{
    public OutputWriteException(string path, Exception inner)
        : base($"Cannot write '{path}': {Reason(inner)}; expected room on the disk and write access to '{Path.GetDirectoryName(path)}'.", inner) =>
        FilePath = path;

    /// <summary>The file that was being written (the target, not its temporary file).</summary>
    public string FilePath { get; }

    /// <summary>
    /// Whether <paramref name="e"/> is the file system refusing a write. .NET reports EFBIG (a file beyond the size the
    /// process may write, RLIMIT_FSIZE) as an <see cref="ArgumentOutOfRangeException"/> from the write, so that counts too.
    /// </summary>
    public static bool IsWriteFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException && e is not OutputWriteException;

    public static T Translate<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            throw new OutputWriteException(path, e);
        }
    }

    public static void Translate(string path, Action action) => Translate(path, () =>
    {
        action();
        return true;
    });

    private static string Reason(Exception e) => e switch
    {
        ArgumentOutOfRangeException => "the file grew larger than this process may write (file size limit)",
        UnauthorizedAccessException => "access is denied",
        DirectoryNotFoundException => "its folder does not exist",
        _ => e.Message,
    };
}
