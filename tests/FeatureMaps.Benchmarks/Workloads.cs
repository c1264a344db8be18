using FeatureMaps.MLNet.Transforms;

namespace FeatureMaps.Benchmarks;

/// <summary>One model at one input size, with the preprocessing its README gives.</summary>
/// <param name="Id">Name used on the command line and in the report.</param>
/// <param name="ModelPath">The ONNX model.</param>
/// <param name="InputModelPath">A model run in front of it (resnet18's _preprocess.onnx), or null.</param>
/// <param name="Width">Input width.</param>
/// <param name="Height">Input height.</param>
/// <param name="Preprocessing">How pixels become model input.</param>
/// <param name="DefaultImages">Images in a full run.</param>
/// <param name="QuickImages">Images with --quick.</param>
/// <param name="CliArgs">Extra arguments for <c>featuremaps run</c>, or null when the CLI cannot express this workload.</param>
internal sealed record Workload(
    string Id, string ModelPath, string? InputModelPath, int Width, int Height, InputPreprocessing Preprocessing,
    int DefaultImages, int QuickImages, IReadOnlyList<string> CliArgs);

internal static class Workloads
{
    /// <summary>PP-OCRv4 detection: BGR, (x/255 - ImageNet mean) / std.</summary>
    public static InputPreprocessing PpOcr { get; } =
        new("ppocr", ChannelOrder.Bgr, [1f / 255], [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    public static IReadOnlyList<string> Ids { get; } = ["seed", "resnet18", "ppocr-320", "ppocr-640", "ppocr-1280"];

    public static Workload Get(string id, Paths paths)
    {
        var resnet = paths.SharedModel("resnet18_cntk_mlnet.onnx");
        var resnetFront = paths.SharedModel("resnet18_cntk_mlnet_preprocess.onnx");
        var ocr = paths.SharedModel("ppocrv4_det_dbnet.onnx");
        return id switch
        {
            "seed" => new Workload(id, paths.SeedModel, null, 150, 150, InputPreprocessing.Keras, 500, 24, []),
            "resnet18" => new Workload(id, resnet, resnetFront, 224, 224, InputPreprocessing.Raw, 200, 8,
                ["--input-model", resnetFront, "--preprocess", "raw"]),
            "ppocr-320" => Ocr(320, 36, 4),
            "ppocr-640" => Ocr(640, 24, 3),
            "ppocr-1280" => Ocr(1280, 8, 2),
            _ => throw new ArgumentException($"Unknown workload '{id}'; workloads are {string.Join(", ", Ids)}."),
        };

        Workload Ocr(int size, int images, int quick) => new($"ppocr-{size}", ocr, null, size, size, PpOcr, images, quick,
            ["--preprocess", "order=bgr;scale=1/255;mean=0.485,0.456,0.406;std=0.229,0.224,0.225", "--width", size.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--height", size.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    public static IReadOnlyList<string> Select(string workload) => workload switch
    {
        "all" => Ids,
        "ppocr" => ["ppocr-320", "ppocr-640", "ppocr-1280"],
        _ => [workload],
    };
}

/// <summary>Where the repository, the shared models and photos are.</summary>
internal sealed class Paths
{
    public Paths(string? shared)
    {
        RepoRoot = FindRepoRoot();
        Shared = Path.GetFullPath(shared ?? Path.Combine(RepoRoot, "..", "shared"));
    }

    public string RepoRoot { get; }

    public string Shared { get; }

    public string SeedModel => Path.Combine(RepoRoot, "models", "seed-cnn.onnx");

    public string SharedImages => Path.Combine(Shared, "images");

    public string SharedModel(string file) => Path.Combine(Shared, "models", file);

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "FeatureMaps.sln")))
                    return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (FeatureMaps.sln) above " + AppContext.BaseDirectory);
    }
}
