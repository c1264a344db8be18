using FeatureMaps.MLNet.Statistics;
using static FeatureMaps.Samples.Cli.ReportWriter;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Writes the report's page of one layer, <c>layers/&lt;layer&gt;.html</c>: a row per channel with its mean activation
/// and share of zeros across all images, dead channels flagged, and the images that activate it most as thumbnails of
/// their model input, each linking to that image's picture of the layer. Same rules as <c>index.html</c>: one
/// self-contained page, relative links only, every name HTML-encoded, no scripts.
/// </summary>
internal static class LayerPageWriter
{
    private const string PageStyle =
        "table.channels{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:8px}" +
        "table.channels th{font-weight:600;padding:4px 8px;border-bottom:1px solid #ddd}table.channels td{padding:4px 8px;vertical-align:middle;border-bottom:1px solid #eee}" +
        "td.num{text-align:right;font-variant-numeric:tabular-nums}tr.dead{background:#fdecea}.badge.dead{background:#c62828}" +
        ".tops{display:flex;gap:6px}.tops figure{margin:0;text-align:center}.tops img{width:56px;height:56px;object-fit:cover;image-rendering:pixelated;border:1px solid #ccc;display:block}" +
        ".tops figcaption{font-size:11px;margin:0}header a{color:#9ecbff}";

    /// <summary>Writes every layer's page into <c>layers/</c> under <paramref name="root"/> and removes pages of layers no longer reported.</summary>
    public static void WriteAll(string root, RunTotals run, IReadOnlyList<LayerChannelSummary> layers)
    {
        var folder = Path.Combine(root, OutputLayout.LayersFolder);
        var written = new HashSet<string>(StringComparer.Ordinal);
        if (layers.Count > 0)
            Directory.CreateDirectory(folder);
        foreach (var layer in layers)
        {
            var path = Path.Combine(root, layer.Page);
            AtomicFiles.DeleteTemporaries(folder, Path.GetFileName(path));
            AtomicFiles.Write(path, stream => Write(stream, run, layer));
            written.Add(Path.GetFileName(path));
        }
        // Pages of an earlier report over other layers (--overwrite with other --layers) would be linked from nowhere and mislead.
        if (Directory.Exists(folder))
            foreach (var stale in Directory.EnumerateFiles(folder, "*.html").Where(f => !written.Contains(Path.GetFileName(f))))
                File.Delete(stale);
    }

    private static void Write(Stream stream, RunTotals run, LayerChannelSummary layer)
    {
        using var html = OpenPage(stream);
        var name = Text(layer.Name);
        var dead = layer.Channels.Where(c => c.Dead).Select(c => c.Channel).ToList();
        var deadLine = dead.Count == 0 ? "No dead channels." : $"Dead channels (zero on every image): {string.Join(", ", dead)}.";
        html.Write(PageHead(Invariant($"Layer {name}: channels across {layer.Images} images"), Style + PageStyle));
        html.Write(Invariant($$"""
            <header>
            <h1>Layer {{name}}</h1>
            <p class="source">{{Text(run.Source)}} &middot; <a href="../{{OutputLayout.IndexFile}}">all images</a></p>
            <p class="counts">{{layer.Channels.Count}} channels over {{layer.Images}} images: <span class="{{(dead.Count > 0 ? "failed" : "ok")}}">{{deadLine}}</span></p>
            <p class="legend">Statistics are over the raw activations: the mean is the mean over images of each image's channel mean, zeros the share over all images. <em>Top images</em> are those with the highest mean activation of the channel, highest first (images where it never fired are left out); each links to that image's picture of this layer.</p>
            </header>
            <main>
            <table class="channels">
            <thead><tr><th>channel</th><th>mean</th><th>zeros</th><th></th><th>top images</th></tr></thead>
            <tbody>

            """));
        var layerFile = OutputLayout.LayerFile(layer.Name);
        foreach (var channel in layer.Channels)
        {
            html.Write(Invariant($"""<tr id="channel-{channel.Channel}"{(channel.Dead ? " class=\"dead\"" : "")}><td class="num">{channel.Channel}</td><td class="num">{channel.Mean:0.####}</td><td class="num">{channel.ZeroShare:0.0%}</td><td>{(channel.Dead ? "<span class=\"badge dead\">dead</span>" : "")}</td><td><div class="tops">"""));
            foreach (var top in channel.TopImages)
                WriteTop(html, top, layerFile);
            html.Write("</div></td></tr>\n");
        }
        html.Write("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
    }

    private static void WriteTop(TextWriter html, RankedImage top, string layerFile)
    {
        var folder = OutputLayout.ImageFolder(top.Image);
        var title = Text(top.Image);
        html.Write(Invariant($"""<figure><a href="../{Url(folder, layerFile)}" title="{title}"><img src="../{Url(folder, OutputLayout.InputFile)}" alt="{title}" loading="lazy"></a><figcaption>{top.Mean:0.###}</figcaption></figure>"""));
    }
}
