namespace FeatureMaps.Samples.Cli;

/// <summary>
/// The seed CNN and the sample photos the bare <c>featuremaps</c> command runs on. They are looked up in the current
/// folder, beside the program and in the folders above it, so the default run works from the repository root
/// (<c>dotnet run --project src/Samples</c>), from a build output inside the repository, and from a container image
/// that copies <c>models/</c> next to the program.
/// </summary>
internal static class BundledAssets
{
    public const string SeedModel = "models/seed-cnn.onnx";

    /// <summary>The sample photos: copied beside the program by the build, or in the source tree.</summary>
    private static readonly string[] SampleImageFolders = ["sample-images", "src/Samples/images"];

    public static string FindSeedModel() =>
        Candidates(SeedModel).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"The bundled seed model '{SeedModel}' was not found in the current folder, beside the program or above it; give --model.");

    public static string FindSampleImages() =>
        SampleImageFolders.SelectMany(Candidates).FirstOrDefault(Directory.Exists)
        ?? throw new DirectoryNotFoundException($"The sample images ({string.Join(" or ", SampleImageFolders)}) were not found beside the program or above it; give --images.");

    private static IEnumerable<string> Candidates(string relative)
    {
        yield return Path.GetFullPath(relative);
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            yield return Path.Combine(folder.FullName, relative);
    }
}
