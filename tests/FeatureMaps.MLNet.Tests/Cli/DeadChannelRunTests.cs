using System.Text.Json.Nodes;
using FeatureMaps.MLNet.Tests.Reliability;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>
/// A run of <see cref="TinyModels.DeadChannelModel"/> (relu channel 1 can never fire) over the bundled sample photos:
/// the reference that sharded and resumed runs must reproduce for the folder-wide channel statistics.
/// </summary>
public sealed class DeadChannelRun : IDisposable
{
    private readonly TempFolder _folder = new();

    public DeadChannelRun()
    {
        Model = TinyModels.Save(TinyModels.DeadChannelModel(), _folder.File("dead-channel.onnx"));
        Reference = NewFolder("reference");
        var result = CliProcess.Run(Arguments(Reference));
        if (result.ExitCode != 0)
            throw new InvalidOperationException("The reference run failed: " + result);
    }

    public static string Images => Path.Combine(TestData.RepoRoot, "src", "Samples", "images");

    public string Model { get; }

    public string Reference { get; }

    public string NewFolder(string name) => _folder.File(name);

    public string[] Arguments(string output, params string[] extra) => ["run", "--model", Model, "--images", Images, "--out", output, .. extra];

    public void Dispose() => _folder.Dispose();
}

public sealed class DeadChannelRunTests(DeadChannelRun run) : IClassFixture<DeadChannelRun>
{
    [Fact]
    public void A_channel_that_never_fires_is_flagged_dead_and_the_live_ones_average_the_input_as_the_network_saw_it()
    {
        var relu = Layer(run.Reference, "relu");
        var channels = relu["channels"]!.AsArray();

        Assert.Equal([false, true, false], channels.Select(c => c!["dead"]!.GetValue<bool>()));
        Assert.Equal(1, relu["deadChannels"]!.GetValue<int>());
        Assert.Empty(channels[1]!["topImages"]!.AsArray());
        Assert.Equal(1.0, channels[1]!["zeroShare"]!.GetValue<double>());
        // Channels 0 and 2 are red and blue scaled by 1/255 (the default keras preprocessing): their folder means are the
        // mean red and blue of the model inputs (input.png holds them rounded to bytes, hence the tolerance).
        var photos = Directory.GetFiles(DeadChannelRun.Images).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        foreach (var (channel, rgb) in new[] { (0, 0), (2, 2) })
        {
            var inputMeans = photos.Select(p => (Image: p!, Mean: InputMean(Path.Combine(run.Reference, p!, "input.png"), rgb))).ToList();
            Assert.Equal(inputMeans.Average(i => i.Mean), channels[channel]!["mean"]!.GetValue<double>(), 0.003);
            var top = channels[channel]!["topImages"]!.AsArray();
            Assert.Equal(5, top.Count);
            Assert.All(top, t => Assert.Equal(inputMeans.Single(i => i.Image == t!["image"]!.GetValue<string>()).Mean, t!["mean"]!.GetValue<double>(), 0.003));
            Assert.Equal(top.Select(t => t!["mean"]!.GetValue<double>()).OrderDescending(), top.Select(t => t!["mean"]!.GetValue<double>()));
        }
        var page = File.ReadAllText(Path.Combine(run.Reference, "layers", "relu.html"));
        Assert.Contains("<tr id=\"channel-1\" class=\"dead\">", page);
        Assert.Contains("Dead channels (zero on every image): 1.", page);
        Assert.Contains("<a href=\"layers/relu.html\">relu</a> 3 channels, <span class=\"dead\">1 dead</span>", File.ReadAllText(Path.Combine(run.Reference, "index.html")));
    }

    [Fact]
    public async Task Two_shards_merged_by_report_give_the_statistics_of_the_single_run()
    {
        var output = run.NewFolder("sharded");
        var shards = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => CliProcess.Run(run.Arguments(output, "--shard", $"{i}/2")))));
        Assert.All(shards, shard => Assert.True(shard.ExitCode == 0, shard.ToString()));
        Assert.False(Directory.Exists(Path.Combine(output, "layers"))); // a shard writes no report pages

        var report = CliProcess.Run("report", "--out", output);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal(Layers(run.Reference).ToJsonString(), Layers(output).ToJsonString());
        foreach (var page in Directory.GetFiles(Path.Combine(run.Reference, "layers")))
            Assert.Equal(File.ReadAllText(page), File.ReadAllText(Path.Combine(output, "layers", Path.GetFileName(page))));
    }

    [Fact]
    public void Images_skipped_by_resume_still_count_in_the_statistics()
    {
        var output = run.NewFolder("resumed");
        foreach (var file in OutputFolder.Files(run.Reference))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, file))!);
            File.Copy(Path.Combine(run.Reference, file), Path.Combine(output, file));
        }
        // As if a run had been killed before finishing two images.
        File.Delete(Path.Combine(output, "camera.png", "done.json"));
        File.Delete(Path.Combine(output, "rocket.jpg", "done.json"));

        var resumed = CliProcess.Run(run.Arguments(output, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("(2 processed, 3 resumed)", resumed.StdOut);
        Assert.Equal(Layers(run.Reference).ToJsonString(), Layers(output).ToJsonString());
    }

    private static JsonArray Layers(string output) => OutputFolder.Json(Path.Combine(output, "summary.json"))["layers"]!.AsArray();

    private static JsonNode Layer(string output, string name) => Layers(output).Single(l => l!["name"]!.GetValue<string>() == name)!;

    /// <summary>The mean of one colour channel of a model-input picture, scaled to 0..1.</summary>
    private static double InputMean(string png, int rgb)
    {
        using var bitmap = OutputFolder.DecodePng(png);
        return bitmap.Pixels.Average(p => (rgb == 0 ? p.Red : p.Blue) / 255.0);
    }
}
