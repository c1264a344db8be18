using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>The channel statistics across the default run's five photos: summary.json's "layers" and the report's page per layer.</summary>
[Collection(DefaultRunCollection.Name)]
public sealed partial class LayerPageTests(DefaultRunFixture run)
{
    private static readonly string[] SeedLayers = ["conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2"];

    private JsonArray Layers => OutputFolder.Json(Path.Combine(run.Out, "summary.json"))["layers"]!.AsArray();

    [Fact]
    public void Every_layer_gets_a_page_linked_from_the_index_with_each_channel_and_links_to_its_top_images()
    {
        var index = File.ReadAllText(run.Index);
        Assert.Equal(SeedLayers, Layers.Select(l => l!["name"]!.GetValue<string>()));
        foreach (var layer in Layers)
        {
            var (name, page) = (layer!["name"]!.GetValue<string>(), layer["page"]!.GetValue<string>());
            Assert.Equal($"layers/{name}.html", page);
            Assert.Contains($"<a href=\"{page}\">{name}</a>", index);
            Assert.Equal(5, layer["images"]!.GetValue<int>());
            var channels = layer["channels"]!.AsArray();
            var html = File.ReadAllText(Path.Combine(run.Out, page));
            Assert.Contains("default-src 'none';", html);
            Assert.Equal(channels.Count, RowPattern().Matches(html).Count);
            Assert.Equal(channels.Count(c => c!["dead"]!.GetValue<bool>()), layer["deadChannels"]!.GetValue<int>());
            // Each ranked image is one thumbnail of its model input linking to its picture of this layer.
            var links = LinkPattern().Matches(html).Select(m => (Href: m.Groups[1].Value, Src: m.Groups[2].Value)).ToList();
            var ranked = channels.SelectMany(c => c!["topImages"]!.AsArray().Select(t => t!["image"]!.GetValue<string>())).ToList();
            Assert.Equal(ranked.Select(image => ($"../{image}/{name}.png", $"../{image}/input.png")), links);
            Assert.All(links, link => Assert.True(File.Exists(Path.Combine(run.Out, "layers", link.Href)), link.Href));
            Assert.All(channels, c => Assert.InRange(c!["topImages"]!.AsArray().Count, c["dead"]!.GetValue<bool>() ? 0 : 1, 5));
        }
    }

    [Fact]
    public void Folder_statistics_agree_with_each_images_channels_json_and_its_layer_statistics()
    {
        var photos = Directory.GetDirectories(run.Out).Where(d => File.Exists(Path.Combine(d, "done.json"))).ToList();
        Assert.Equal(5, photos.Count);
        var perImage = photos.Select(p => (
            Path: Path.GetFileName(p),
            Channels: OutputFolder.Json(Path.Combine(p, "channels.json"))["layers"]!.AsArray(),
            Done: OutputFolder.Json(Path.Combine(p, "done.json"))["layers"]!.AsArray())).ToList();
        for (var l = 0; l < SeedLayers.Length; l++)
        {
            var channels = Layers[l]!["channels"]!.AsArray();
            foreach (var image in perImage)
            {
                var means = Floats(image.Channels[l]!["means"]!);
                var zeroShares = Floats(image.Channels[l]!["zeroShares"]!);
                // Two independent computations over the same activations: per channel here, per layer in done.json.
                var statistics = image.Done[l]!["statistics"]!;
                Assert.Equal(statistics["mean"]!.GetValue<double>(), means.Average(m => (double)m), 5);
                Assert.Equal(statistics["deadChannels"]!.GetValue<int>(), zeroShares.Count(s => s == 1));
            }
            for (var c = 0; c < channels.Count; c++)
            {
                var imageMeans = perImage.Select(i => (i.Path, Mean: Floats(i.Channels[l]!["means"]!)[c], Zeros: Floats(i.Channels[l]!["zeroShares"]!)[c])).ToList();
                Assert.Equal(imageMeans.Average(i => (double)i.Mean), channels[c]!["mean"]!.GetValue<double>(), 6);
                Assert.Equal(imageMeans.Average(i => (double)i.Zeros), channels[c]!["zeroShare"]!.GetValue<double>(), 6);
                Assert.Equal(imageMeans.All(i => i.Zeros == 1), channels[c]!["dead"]!.GetValue<bool>());
                var expectedTop = imageMeans.Where(i => i.Zeros < 1).OrderByDescending(i => i.Mean).ThenBy(i => i.Path, StringComparer.Ordinal).Select(i => i.Path);
                Assert.Equal(expectedTop, channels[c]!["topImages"]!.AsArray().Select(t => t!["image"]!.GetValue<string>()));
            }
        }
    }

    [Fact]
    public void A_layer_page_loads_in_headless_chromium_with_every_thumbnail_and_no_errors()
    {
        var layer = Layers.First(l => l!["name"]!.GetValue<string>() == "conv2d_2")!;

        var page = HeadlessChromium.Check(Path.Combine(run.Out, layer["page"]!.GetValue<string>()));

        Assert.Equal(layer["channels"]!.AsArray().Sum(c => c!["topImages"]!.AsArray().Count), page.Images);
        Assert.True(page.Images > 0);
        Assert.Empty(page.Broken);
        Assert.Empty(page.Errors);
        Assert.Equal(0, page.Scripts);
    }

    private static float[] Floats(JsonNode array) => array.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    [GeneratedRegex("<tr id=\"channel-\\d+\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<a href=\"([^\"]+)\" title=\"[^\"]*\"><img src=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();
}
