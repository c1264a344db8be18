namespace FeatureMaps.MLNet.Tests;

/// <summary>Where the test data lives: the bundled seed model in the repo, real models and photos in ../shared.</summary>
internal static class TestData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SeedModel => Path.Combine(RepoRoot, "models", "seed-cnn.onnx");

    public static string Model(string file) => Path.Combine(Shared, "models", file);

    public static string Image(string file) => Path.Combine(Shared, "images", file);

    public static string Chelsea => Image("skimage_chelsea.png");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FeatureMaps.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (FeatureMaps.sln) above " + AppContext.BaseDirectory);
    }
}

/// <summary>A folder under the system temp directory, deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "featuremaps-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open on a slow file system must not fail the test */ }
    }
}
