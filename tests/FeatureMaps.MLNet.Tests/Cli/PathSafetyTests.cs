using System.Net;
using System.Text.RegularExpressions;

namespace FeatureMaps.MLNet.Tests.Cli;

[Trait("Category", "Reliability")]
public sealed class PathSafetyTests
{
    /// <summary>Relative paths as the catalog reports them. The first needs a folder, since '/' cannot be in a file name.</summary>
    private static readonly string[] HostileNames =
    [
        "<script>alert(1)</script>.png",
        "<img src=x onerror=alert(1)>.jpg",
        "café & crème #1 ü.jpg",
        "100% \"quoted\" 'name'.png",
    ];

    [Fact]
    public void Hostile_and_unicode_names_are_escaped_in_the_report_and_stay_inside_the_output_folder()
    {
        using var temp = new TempFolder();
        var images = temp.File("images");
        foreach (var (name, i) in HostileNames.Select((n, i) => (n, i)))
        {
            var path = Path.Combine(images, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(TestData.Image(i % 2 == 0 ? "skimage_chelsea.png" : "skimage_coffee.png"), path);
        }
        var output = temp.File("out");

        var result = CliProcess.Run("run", "--model", TestData.SeedModel, "--images", images, "--out", output, "--recursive", "--layers", "conv2d");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Nothing was written beside the output folder, and every image has its own complete folder inside it.
        Assert.Equal([images, output], Directory.GetFileSystemEntries(temp.Path).Order());
        var summary = OutputFolder.Json(Path.Combine(output, "summary.json"));
        var records = summary["images"]!.AsArray();
        Assert.Equal(HostileNames.Order(StringComparer.Ordinal), records.Select(r => r!["path"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var record in records)
        {
            var folder = Path.GetFullPath(Path.Combine(output, record!["folder"]!.GetValue<string>()));
            Assert.StartsWith(output + Path.DirectorySeparatorChar, folder);
            Assert.True(File.Exists(Path.Combine(folder, "done.json")));
            Assert.True(File.Exists(Path.Combine(folder, "conv2d.png")));
        }

        var html = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;.png", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;.jpg", html);
        // WebUtility.HtmlEncode also writes non-ASCII letters as numeric references (é as &#233;).
        Assert.Contains("caf&#233; &amp; cr&#232;me #1 &#252;.jpg", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("onerror=alert(1)>", html);

        // In a browser: no script and no inline handler made it into the page, and every (percent-encoded) link resolves.
        var page = HeadlessChromium.Check(Path.Combine(output, "index.html"));
        Assert.Equal(HostileNames.Length * 2, page.Images);
        Assert.Empty(page.Broken);
        Assert.Equal((0, 0), (page.Scripts, page.Handlers));

        // The layer page names the same images as its top images: escaped too, and its percent-encoded links resolve.
        var layerPage = File.ReadAllText(Path.Combine(output, "layers", "conv2d.html"));
        Assert.Contains("title=\"&lt;img src=x onerror=alert(1)&gt;.jpg\"", layerPage);
        Assert.DoesNotContain("<script", layerPage);
        Assert.DoesNotContain("onerror=alert(1)>", layerPage);
        var links = Regex.Matches(layerPage, "(?:href|src)=\"\\.\\./([^\"]+)\"").Select(m => Uri.UnescapeDataString(WebUtility.HtmlDecode(m.Groups[1].Value))).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(output, link)), link));
    }
}
