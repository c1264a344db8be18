using FeatureMaps.Benchmarks;

// Issue 6's benchmark. Without --variant this process is the orchestrator: it makes the image set and runs each
// variant of each workload in a fresh child process (this program again, with --variant), so peak memory never mixes.
BenchArgs parsed;
try
{
    parsed = BenchArgs.Parse(args);
}
catch (BenchArgs.HelpRequested)
{
    Console.WriteLine(BenchArgs.Usage);
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (parsed.IsChild)
    return ChildRunner.Run(parsed);
if (parsed.ImageDir is { } keep)
{
    // --image-dir without --variant: only make the image set there (kept) for running variants by hand:
    // FeatureMaps.Benchmarks --variant c --workload seed --image-dir DIR --count N
    ImageSet.Create(new Paths(parsed.Shared).SharedImages, parsed.Images ?? 500, parsed.MaxSide, Path.GetFullPath(keep));
    Console.WriteLine($"Image set written to {Path.GetFullPath(keep)}");
    return 0;
}
var commandLine = "dotnet run --project tests/FeatureMaps.Benchmarks -c Release --" + string.Concat(args.Select(a => " " + a));
return Orchestrator.Run(parsed, commandLine);
