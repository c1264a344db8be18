using System.Globalization;

namespace FeatureMaps.Benchmarks;

/// <summary>
/// The command line. The same program is the orchestrator (no <c>--variant</c>) and the child that measures one
/// variant of one workload in a fresh process (<c>--variant X --workload W --image-dir D --count N</c>).
/// </summary>
internal sealed record BenchArgs
{
    public const string Usage = """
        dotnet run --project tests/FeatureMaps.Benchmarks -c Release -- [options]

          --workload seed|resnet18|ppocr|all   which workloads (default all; ppocr = 320, 640 and 1280 px)
          --images N                           images per workload (default: seed 500, resnet18 200, ppocr 36/24/8)
          --ep cpu|cuda                        execution provider (default cpu); cuda falls back to cpu with a note
          --out FILE                           markdown report (default bench-results.md)
          --quick                              tiny counts: a smoke check of every variant (with --workload all,
                                               ppocr at 320 px only)
          --variants a,a-t2,a-t1,a-run,b,c,c-t1,c-set,c-reader,c-load,c-extract,c-normalize,d
                                               subset of variants (default all; c-t1, c-set and the c-load/
                                               c-extract/c-normalize breakdown run by default on seed, resnet18
                                               and ppocr-320 only)
          --memory-images N1,N2                (c) memory checkpoints on seed (default 200,2000; 0 skips the run)
          --cli PATH                           featuremaps.dll for variant (d) (default: the Samples build beside this one)
          --max-side N                         downscale the source photos to at most N px before copying (default 640)
          --shared DIR                         the shared folder with images/ and models/ (default ../shared)
          --max-rss-gb N                       stop a child whose resident memory passes N GiB (default 40 % of RAM)
        """;

    public string Workload { get; init; } = "all";
    public int? Images { get; init; }
    public string Ep { get; init; } = "cpu";
    public string Out { get; init; } = "bench-results.md";
    public bool Quick { get; init; }
    public IReadOnlyList<string>? Variants { get; init; }
    public IReadOnlyList<int> MemoryImages { get; init; } = [200, 2000];
    public string? Cli { get; init; }
    public int MaxSide { get; init; } = 640;
    public string? Shared { get; init; }
    public double? MaxRssGb { get; init; }

    // Child-only.
    public string? Variant { get; init; }
    public string? ImageDir { get; init; }
    public int Count { get; init; }
    public IReadOnlyList<int> Checkpoints { get; init; } = [];
    public string? WorkDir { get; init; }

    public bool IsChild => Variant is not null;

    public static BenchArgs Parse(string[] args)
    {
        var result = new BenchArgs();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int NextInt()
            {
                var option = args[i];
                var text = Next();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                    ? n : throw new ArgumentException($"{option} needs a non-negative integer; got '{text}'.");
            }
            IReadOnlyList<int> NextInts() => Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

            result = args[i] switch
            {
                "--workload" => result with { Workload = Next().ToLowerInvariant() },
                "--images" => result with { Images = NextInt() },
                "--ep" => result with { Ep = Next().ToLowerInvariant() },
                "--out" => result with { Out = Next() },
                "--quick" => result with { Quick = true },
                "--variants" => result with { Variants = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--memory-images" => result with { MemoryImages = NextInts() },
                "--cli" => result with { Cli = Next() },
                "--max-side" => result with { MaxSide = NextInt() },
                "--shared" => result with { Shared = Next() },
                "--max-rss-gb" => result with { MaxRssGb = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--variant" => result with { Variant = Next() },
                "--image-dir" => result with { ImageDir = Next() },
                "--count" => result with { Count = NextInt() },
                "--checkpoints" => result with { Checkpoints = NextInts() },
                "--work-dir" => result with { WorkDir = Next() },
                "-h" or "--help" => throw new HelpRequested(),
                _ => throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}"),
            };
        }
        if (result.Ep is not ("cpu" or "cuda"))
            throw new ArgumentException($"--ep must be cpu or cuda; got '{result.Ep}'.");
        if (!result.IsChild && result.Workload is not ("all" or "seed" or "resnet18" or "ppocr") && !Workloads.Ids.Contains(result.Workload))
            throw new ArgumentException($"--workload must be seed, resnet18, ppocr or all (or one of {string.Join(", ", Workloads.Ids)}); got '{result.Workload}'.");
        if (result.Variants?.FirstOrDefault(v => !VariantIds.All.Contains(v)) is { } unknown)
            throw new ArgumentException($"Unknown variant '{unknown}'; variants are {string.Join(", ", VariantIds.All)}.");
        return result;
    }

    internal sealed class HelpRequested : Exception;
}

/// <summary>The variants, in report order.</summary>
internal static class VariantIds
{
    public const string Ceiling = "a";
    public const string CeilingIntra2 = "a-t2";
    public const string CeilingIntra1 = "a-t1";
    public const string RunOnly = "a-run";
    public const string StockMlNet = "b";
    public const string FeatureMaps = "c";
    public const string FeatureMapsIntra1 = "c-t1";
    public const string FeatureMapsSet = "c-set";
    public const string FeatureMapsReader = "c-reader";
    public const string LoadOnly = "c-load";
    public const string ExtractOnly = "c-extract";
    public const string NormalizeOnly = "c-normalize";
    public const string Cli = "d";

    public static IReadOnlyList<string> All { get; } =
        [Ceiling, CeilingIntra2, CeilingIntra1, RunOnly, StockMlNet, FeatureMaps, FeatureMapsIntra1, FeatureMapsSet, FeatureMapsReader, LoadOnly, ExtractOnly, NormalizeOnly, Cli];

    /// <summary>Extra (c) variants (stage breakdown, settings): run by default only where a full (c) costs little.</summary>
    public static IReadOnlyList<string> Breakdown { get; } = [LoadOnly, ExtractOnly, NormalizeOnly, FeatureMapsIntra1, FeatureMapsSet, FeatureMapsReader];
}
