namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>
/// A folder of 20 real photos and one uninterrupted, unsharded run over it (with raw PGM belts): the reference that
/// interrupted-and-resumed and sharded runs must reproduce.
/// </summary>
public sealed class TwentyImagesFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public TwentyImagesFixture()
    {
        Images = OutputFolder.CopyPhotos(Path.Combine(_folder.Path, "images"), 20);
        Reference = Path.Combine(_folder.Path, "reference");
        var result = CliProcess.Run(RunArguments(Reference));
        if (result.ExitCode != 0)
            throw new InvalidOperationException("The reference run failed: " + result);
    }

    public string Images { get; }

    /// <summary>The uninterrupted run's output folder.</summary>
    public string Reference { get; }

    public string NewFolder(string name) => Path.Combine(_folder.Path, name);

    /// <summary>The run every test of the collection makes, into <paramref name="output"/>, plus <paramref name="extra"/> options.</summary>
    public string[] RunArguments(string output, params string[] extra) =>
        ["run", "--model", TestData.SeedModel, "--images", Images, "--out", output, "--pgm", .. extra];

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TwentyImagesCollection : ICollectionFixture<TwentyImagesFixture>
{
    public const string Name = "twenty images";
}
