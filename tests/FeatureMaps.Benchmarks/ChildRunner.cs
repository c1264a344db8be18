using System.Diagnostics;
using FeatureMaps.Benchmarks.Variants;
using Microsoft.ML;

namespace FeatureMaps.Benchmarks;

/// <summary>Measures one variant of one workload in this (fresh) process and prints the result line.</summary>
internal static class ChildRunner
{
    private const int WarmupImages = 3;

    public static int Run(BenchArgs args)
    {
        var paths = new Paths(args.Shared);
        var workload = Workloads.Get(args.Workload, paths);
        var imageDir = args.ImageDir ?? throw new ArgumentException("--image-dir is required with --variant.");
        var files = Directory.GetFiles(Path.Combine(imageDir, "images")).Order(StringComparer.Ordinal).Take(args.Count).ToList();
        var sources = Directory.GetFiles(Path.Combine(imageDir, "base")).Order(StringComparer.Ordinal).ToList();
        var workDir = Directory.CreateDirectory(args.WorkDir ?? Path.Combine(imageDir, "work", $"{workload.Id}-{args.Variant}")).FullName;
        var cuda = args.Ep == "cuda";

        var ml = new MLContext(seed: 1);
        var setup = ModelSetup.Create(ml, workload, cuda ? 0 : null, workDir);
        var context = new VariantContext(workload, setup, sources, cuda, workDir);

        var setupWatch = Stopwatch.StartNew();
        using IVariant variant = args.Variant switch
        {
            VariantIds.Ceiling => new CeilingVariant(context, intraOpThreads: null, runOnly: false),
            VariantIds.CeilingIntra2 => new CeilingVariant(context, intraOpThreads: 2, runOnly: false),
            VariantIds.CeilingIntra1 => new CeilingVariant(context, intraOpThreads: 1, runOnly: false),
            VariantIds.RunOnly => new CeilingVariant(context, intraOpThreads: null, runOnly: true),
            VariantIds.StockMlNet => new StockMlNetVariant(ml, context),
            VariantIds.FeatureMaps => new FeatureMapsVariant(ml, context),
            VariantIds.FeatureMapsIntra1 => new FeatureMapsVariant(ml, context, intraOpThreads: 1),
            VariantIds.FeatureMapsSet => new FeatureMapsVariant(ml, context, intraOpThreads: 1, cursorSet: true),
            VariantIds.FeatureMapsReader => new FeatureMapsVariant(ml, context, reader: true),
            VariantIds.LoadOnly => new FeatureMapsVariant(ml, context, FeatureMapsVariant.Stage.Load),
            VariantIds.ExtractOnly => new FeatureMapsVariant(ml, context, FeatureMapsVariant.Stage.Extract),
            VariantIds.NormalizeOnly => new FeatureMapsVariant(ml, context, FeatureMapsVariant.Stage.Normalize),
            _ => throw new ArgumentException($"Variant '{args.Variant}' does not run in a child process."),
        };
        // Warm-up: first-row costs (JIT, ORT's first-run memory planning) are not steady-state throughput.
        variant.Pass(files.Take(WarmupImages).ToList(), new PassMeter([]));
        var setupSeconds = setupWatch.Elapsed.TotalSeconds;

        var meter = new PassMeter(args.Checkpoints);
        meter.Start();
        var errors = variant.Pass(files, meter);
        var (seconds, cpuSeconds, allocated, checkpoints) = meter.Stop();

        var result = new VariantResult
        {
            Variant = args.Variant!,
            Workload = workload.Id,
            Threads = variant.Threads,
            Images = meter.Images,
            Errors = errors,
            SetupSeconds = setupSeconds,
            Seconds = seconds,
            CpuSeconds = cpuSeconds,
            PeakWorkingSetBytes = Memory.PeakWorkingSet(),
            AllocatedBytes = allocated,
            Checkpoints = checkpoints,
            Note = variant.Note,
        };
        Console.WriteLine(result.ToLine());
        return 0;
    }
}
