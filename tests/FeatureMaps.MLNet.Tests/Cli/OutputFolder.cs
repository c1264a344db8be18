using System.Text.Json.Nodes;
using SkiaSharp;

namespace FeatureMaps.MLNet.Tests.Cli;

/// <summary>Reading back what a run wrote: file lists, decoded PNGs, JSON without the fields that legitimately vary.</summary>
internal static class OutputFolder
{
    /// <summary>Every file below <paramref name="root"/> as a '/'-separated relative path, the run's lock files left out.</summary>
    public static SortedSet<string> Files(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith(".featuremaps/", StringComparison.Ordinal)),
        StringComparer.Ordinal);

    public static string[] Temporaries(string root) =>
        Directory.EnumerateFiles(root, "*.tmp-*", SearchOption.AllDirectories).ToArray();

    public static SKBitmap DecodePng(string path) =>
        SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"'{path}' does not decode as an image.");

    public static JsonNode Json(string path) =>
        JsonNode.Parse(File.ReadAllText(path)) ?? throw new Xunit.Sdk.XunitException($"'{path}' is empty JSON.");

    /// <summary>
    /// The JSON of a done.json or summary with what differs between two equal runs removed: timings everywhere, and the
    /// "run" object of a summary (start, end, rate, and how many images were processed or resumed).
    /// </summary>
    public static string WithoutTimings(string path)
    {
        var json = Json(path);
        Strip(json);
        if (json is JsonObject summary && summary.ContainsKey("run"))
            summary.Remove("run");
        return json.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("timings");
                foreach (var (_, child) in o)
                    Strip(child);
                break;
            case JsonArray a:
                foreach (var child in a)
                    Strip(child);
                break;
        }
    }

    /// <summary>Copies shared photos under new names until there are <paramref name="count"/>: a folder of real images of many sizes and formats.</summary>
    public static string CopyPhotos(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        string[] photos = ["skimage_astronaut.png", "skimage_camera.png", "skimage_chelsea.png", "skimage_coffee.png", "skimage_rocket.jpg"];
        for (var i = 0; i < count; i++)
        {
            var photo = photos[i % photos.Length];
            File.Copy(TestData.Image(photo), Path.Combine(folder, $"{i:00}-{photo}"));
        }
        return folder;
    }
}
