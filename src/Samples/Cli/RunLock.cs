namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Keeps two runs of the same shard from writing into one output folder at once: each run holds
/// <c>.featuremaps/lock.shard-i-of-n</c> open with <see cref="FileShare.None"/> (an exclusive <c>flock</c> on Linux and
/// macOS, a sharing lock on Windows) until it exits. The operating system drops the lock when the process ends, even
/// when it is killed, so a stale file never blocks a later run; the file itself stays and only says who held it last.
/// Different shards of one folder lock different files and run side by side.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <exception cref="IOException">Another process holds the lock; the message says what to do.</exception>
    public static RunLock Acquire(OutputLayout layout, Shard shard)
    {
        Directory.CreateDirectory(layout.StateFolder);
        var path = Path.Combine(layout.StateFolder, $"lock.{shard.FileTag}");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new IOException(
                $"Another featuremaps run is writing shard {shard} into '{layout.Root}' (it holds '{path}'). Wait for it to finish, or choose another --out.", e);
        }
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
            writer.WriteLine($"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:O}");
        return new RunLock(file);
    }

    public void Dispose() => _file.Dispose();
}
