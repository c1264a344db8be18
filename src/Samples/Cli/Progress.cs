using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// A run's progress on stderr (stdout is left for the final result): a live bar with count, rate and ETA when stderr is a
/// terminal, plain lines every few seconds when it is not (CI logs, redirected output), since a redrawn bar would fill a
/// log with control codes. Counting is thread-safe: render workers report completed images.
/// </summary>
internal abstract class Progress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _ok;
    private int _failed;
    private int _resumed;

    protected Progress(int total) => Total = total;

    public int Total { get; }

    public int Ok => _ok;

    public int Failed => _failed;

    /// <summary>Images skipped because <c>--resume</c> found them complete.</summary>
    public int Resumed => _resumed;

    /// <summary>Runs <paramref name="work"/> with the progress display that suits stderr.</summary>
    public static void Run(int total, Action<Progress> work)
    {
        if (Console.IsErrorRedirected)
        {
            using var plain = new PlainProgress(total, Console.Error);
            work(plain);
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                using var live = new LiveProgress(total, console, context.AddTask("images", maxValue: Math.Max(1, total)));
                work(live);
            });
    }

    public void Completed(ImageStatus status)
    {
        Interlocked.Increment(ref status == ImageStatus.Ok ? ref _ok : ref _failed);
        Changed();
    }

    public void Skipped()
    {
        Interlocked.Increment(ref _resumed);
        Changed();
    }

    /// <summary>Reports a failed image: one line on stderr, shown above a live bar.</summary>
    public abstract void Error(string message);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected abstract void Changed();

    /// <summary>"12/20 images, 1 failed, 2.4 images/s, ETA 3s": the rate counts processed images only, not resumed ones.</summary>
    protected string Status(bool withEta)
    {
        var processed = _ok + _failed;
        var done = processed + _resumed;
        var rate = processed / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var text = string.Create(CultureInfo.InvariantCulture, $"{done}/{Total} images, {_failed} failed");
        if (_resumed > 0)
            text += $", {_resumed} resumed";
        text += string.Create(CultureInfo.InvariantCulture, $", {rate:0.0} images/s");
        if (withEta && processed > 0 && done < Total)
            text += $", ETA {TimeSpan.FromSeconds(Math.Ceiling((Total - done) / rate)):g}";
        return text;
    }

    private sealed class PlainProgress : Progress
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private readonly TextWriter _log;
        private readonly Timer _timer;

        public PlainProgress(int total, TextWriter log) : base(total)
        {
            _log = TextWriter.Synchronized(log);
            _timer = new Timer(_ => _log.WriteLine($"progress: {Status(withEta: true)}"), null, Interval, Interval);
        }

        public override void Error(string message) => _log.WriteLine($"error: {message}");

        public override void Dispose()
        {
            _timer.Dispose();
            _log.WriteLine($"progress: {Status(withEta: false)}");
            base.Dispose();
        }

        protected override void Changed()
        {
        }
    }

    private sealed class LiveProgress(int total, IAnsiConsole console, ProgressTask task) : Progress(total)
    {
        public override void Error(string message) => console.MarkupLineInterpolated($"[red]error:[/] {message}");

        protected override void Changed()
        {
            task.Value = Ok + Failed + Resumed;
            task.Description = Status(withEta: false);
        }
    }
}
