using System.Diagnostics;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>What a finished CLI process left: its exit code and its two output streams, kept apart.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>Runs <c>featuremaps</c> as a real process (<c>dotnet featuremaps.dll</c> from the test output folder), with stdout and stderr redirected as in CI.</summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static CliResult Run(params string[] args) => RunIn(workingDirectory: null, args);

    public static CliResult RunIn(string? workingDirectory, params string[] args) => Wait(Start(workingDirectory, args), args);

    /// <summary>
    /// Runs the CLI through <c>bash -c "PRELUDE; exec dotnet featuremaps.dll ARGS"</c>, so the prelude can set limits
    /// the process inherits (<c>ulimit -f</c>), with <paramref name="environment"/> added.
    /// </summary>
    public static CliResult RunUnder(string prelude, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = StartInfo(null, "bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(prelude + "; exec dotnet \"$@\"");
        start.ArgumentList.Add("featuremaps"); // $0
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "featuremaps.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return Wait(Process.Start(start) ?? throw new InvalidOperationException("bash did not start."), args);
    }

    private static CliResult Wait(Process started, string[] args)
    {
        using var process = started;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"featuremaps {string.Join(' ', args)} ran longer than {Timeout}.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the CLI; the caller reads (or drains) its output and waits for or kills it.</summary>
    public static Process Start(string? workingDirectory, params string[] args)
    {
        var start = StartInfo(workingDirectory, "dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "featuremaps.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static ProcessStartInfo StartInfo(string? workingDirectory, string program)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        // A shard index inherited from a CI job array must not leak into runs that do not ask for one.
        foreach (var variable in new[] { "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID" })
            start.Environment.Remove(variable);
        return start;
    }
}
