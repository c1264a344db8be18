using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

[Collection(TwentyImagesCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class ShardTests(TwentyImagesFixture images)
{
    [Fact]
    public async Task Four_concurrent_shards_and_a_report_give_the_single_run_with_every_image_processed_once()
    {
        var output = images.NewFolder("sharded");
        var shards = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(i => Task.Run(() => CliProcess.Run(images.RunArguments(output, "--shard", $"{i}/4")))));
        foreach (var shard in shards)
            Assert.True(shard.ExitCode == 0, shard.ToString());

        var report = CliProcess.Run("report", "--out", output);

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.DoesNotContain("warning", report.StdErr);
        var perShard = Enumerable.Range(0, 4)
            .Select(i => OutputFolder.Json(Path.Combine(output, $"summary.shard-{i}-of-4.json"))["images"]!.AsArray()
                .Select(image => image!["path"]!.GetValue<string>()).ToList())
            .ToList();
        var all = perShard.SelectMany(paths => paths).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count()); // no image in two shards
        Assert.All(perShard, paths => Assert.NotEmpty(paths)); // the hash spreads 20 names over all 4 shards
        var merged = OutputFolder.Json(Path.Combine(output, "summary.json"))["run"]!;
        Assert.Equal((20, 20, 20), (merged["images"]!.GetValue<int>(), merged["ok"]!.GetValue<int>(), merged["processed"]!.GetValue<int>()));
        Assert.Equal(4, merged["shards"]!.AsArray().Count);
        // Same images, same pictures, same records; only the shard summaries are extra, and the page's header says it was merged.
        OutputComparison.AssertSameResults(images.Reference, output,
            ignore: file => file.StartsWith("summary.shard-", StringComparison.Ordinal) || file == "index.html");
        Assert.Equal(Sections(Path.Combine(images.Reference, "index.html")), Sections(Path.Combine(output, "index.html")));
        Assert.Contains("merged from 4 shard summaries", File.ReadAllText(Path.Combine(output, "index.html")));
    }

    [Fact]
    public void A_second_run_of_the_same_shard_into_the_same_folder_is_refused()
    {
        var output = images.NewFolder("locked");
        using var held = RunLock.Acquire(new OutputLayout(output), new Shard(1, 4));

        var second = CliProcess.Run(images.RunArguments(output, "--shard", "1/4"));

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("Another featuremaps run is writing shard 1/4", second.StdErr);
        Assert.DoesNotContain("   at ", second.StdErr); // one line, no stack trace
    }

    /// <summary>The page from its first image section on.</summary>
    private static string Sections(string indexHtml)
    {
        var html = File.ReadAllText(indexHtml);
        return html[html.IndexOf("<main>", StringComparison.Ordinal)..];
    }
}
