namespace FeatureMaps.MLNet.Tests.Imaging;

/// <summary>Locates the shared sample photos and gives each test a private scratch folder.</summary>
internal static class TestFiles
{
    private static readonly Lazy<string> SharedImages = new(FindSharedImages);

    /// <summary>A photo from <c>../shared/images</c> next to the repository root (the folder holding FeatureMaps.sln).</summary>
    public static string Photo(string fileName) => Path.Combine(SharedImages.Value, fileName);

    private static string FindSharedImages()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FeatureMaps.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "images"));
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds FeatureMaps.sln.");
    }
}
