namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>
/// One bare <c>featuremaps</c> run (no arguments at all) in a temporary working folder, shared by the tests that read
/// its outputs: it finds the seed model and the sample photos itself and writes <c>out/</c> under the working folder.
/// </summary>
public sealed class DefaultRunFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public DefaultRunFixture()
    {
        Result = CliProcess.RunIn(_folder.Path);
        Out = Path.Combine(_folder.Path, "out");
    }

    internal CliResult Result { get; }

    public string Out { get; }

    public string Index => Path.Combine(Out, "index.html");

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DefaultRunCollection : ICollectionFixture<DefaultRunFixture>
{
    public const string Name = "default run";
}
