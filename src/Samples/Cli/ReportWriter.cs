using System.Globalization;
using System.Net;
using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Streams <c>index.html</c>: one self-contained page (inline CSS, no script, relative links only, so it works from
/// file:// and from any static web server) with a section per image: the model input, its predicted classes and one
/// thumbnail per layer with channel statistics. Every name that comes from input (file, layer, class names, error
/// messages) is HTML-encoded, and a Content-Security-Policy forbids scripts outright as a second line of defence.
/// </summary>
internal sealed class ReportWriter
{
    private readonly TextWriter _html;
    private int _sections;

    public ReportWriter(Stream stream, RunTotals run)
    {
        _html = OpenPage(stream);
        _html.Write(PageHead($"Feature maps: {Text(run.Source)}", Style));
        _html.Write($$"""
            <header>
            <h1>Feature maps</h1>
            <p class="source">{{Text(run.Source)}}</p>
            <p class="counts">{{run.Images}} images: <span class="ok">{{run.Ok}} ok</span>, <span class="{{(run.Failed > 0 ? "failed" : "ok")}}">{{run.Failed}} failed</span>{{ShardNote(run)}}</p>
            <p class="legend">Each picture is one layer: a tile per channel, coloured from 0 to 255 after normalization for display. Statistics are over the raw activations; <em>dead</em> channels are all zero on this image.</p>
            </header>
            <main>

            """);
    }

    /// <summary>Scripts are never needed; images only from the report's own folder tree.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

    /// <summary>A writer for a report page: UTF-8 without a byte-order mark, "\n" line ends.</summary>
    internal static StreamWriter OpenPage(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\n" };

    /// <summary>Every report page up to its header: one place for the charset and the content security policy.</summary>
    /// <param name="title">The page title, already HTML-encoded.</param>
    /// <param name="style">The page's CSS.</param>
    internal static string PageHead(string title, string style) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="{{ContentSecurityPolicy}}">
        <title>{{title}}</title>
        <style>{{style}}</style>
        </head>
        <body>

        """;

    internal const string Style =
        "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1f23}" +
        "header{padding:16px 24px;background:#1d2433;color:#fff}header h1{margin:0 0 4px;font-size:24px}" +
        "header p{margin:4px 0}.legend{color:#c8ccd4;font-size:13px}" +
        "main{padding:16px 24px}section{background:#fff;border-radius:8px;margin:0 0 16px;padding:12px 16px;box-shadow:0 1px 3px #0002}" +
        "h2{font-size:17px;margin:0 0 8px;word-break:break-all}.badge{font-size:12px;padding:2px 6px;border-radius:4px;margin-right:6px;color:#fff}" +
        ".ok .badge,.badge.ok{background:#2e7d32}.failed .badge,.badge.failed{background:#c62828}span.ok{color:#8fd694}span.failed{color:#ff8a80}" +
        ".error{color:#c62828;font-family:ui-monospace,monospace;white-space:pre-wrap}" +
        ".top{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}.input img{width:150px;height:auto;image-rendering:pixelated;border:1px solid #ccc}" +
        "table{border-collapse:collapse;font-size:13px}caption{text-align:left;font-weight:600;padding-bottom:4px}th{text-align:left;padding-right:8px;font-weight:normal}" +
        "td{padding:1px 6px}meter{width:120px}.layers{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px}" +
        "figure{margin:0}.cam img{height:180px;width:auto}.layer{width:380px;max-width:100%}.layer img{width:100%;height:auto;display:block;border:1px solid #ddd}" +
        "figcaption{font-size:12px;color:#444;margin-top:4px}" +
        "nav.layer-index{background:#fff;border-radius:8px;margin:0 0 16px;padding:12px 16px;box-shadow:0 1px 3px #0002}" +
        "nav.layer-index ul{margin:0;padding-left:20px;columns:3 260px;font-size:14px}nav.layer-index .dead{color:#c62828;font-weight:600}";

    /// <summary>Links the per-layer pages of channel statistics; called before the first image, writes nothing without layers.</summary>
    public void AddLayerIndex(IReadOnlyList<LayerChannelSummary> layers)
    {
        if (layers.Count == 0)
            return;
        _html.Write("<nav class=\"layer-index\"><h2>Channels across all images, per layer</h2>\n<ul>\n");
        foreach (var layer in layers)
        {
            var dead = layer.DeadChannels > 0 ? Invariant($"<span class=\"dead\">{layer.DeadChannels} dead</span>") : "0 dead";
            _html.Write(Invariant($"<li><a href=\"{Href(layer.Page)}\">{Text(layer.Name)}</a> {layer.Channels.Count} channels, {dead}</li>\n"));
        }
        _html.Write("</ul>\n</nav>\n");
    }

    public void Add(ImageRecord record)
    {
        var id = ++_sections;
        var title = Text(record.Path);
        if (record.Status != ImageStatus.Ok)
        {
            _html.Write($"""
                <section class="image failed" id="image-{id}">
                <h2><span class="badge">failed</span>{title}</h2>
                <p class="error">{Text(record.Error ?? "")}</p>
                </section>

                """);
            return;
        }
        var sheet = record.ContactSheet is { } contact ? $"""<a href="{Url(record.Folder, contact)}">{title}</a>""" : title;
        _html.Write($"""
            <section class="image ok" id="image-{id}">
            <h2><span class="badge">ok</span>{sheet}</h2>
            <div class="top">

            """);
        if (record.Input is { } input)
            _html.Write($"""<figure class="input"><img src="{Url(record.Folder, input)}" alt="model input of {title}"><figcaption>model input</figcaption></figure>""" + "\n");
        foreach (var output in record.Outputs)
            WriteOutput(output);
        if (record.Cam is { } cam)
            _html.Write(Invariant($"""<figure class="cam"><a href="{Url(record.Folder, cam.File)}"><img src="{Url(record.Folder, cam.File)}" alt="where the network looks in {title}"></a><figcaption>where it looks for {Text(cam.ClassName)} ({cam.Score:0.0%}): {Text(cam.Method)}</figcaption></figure>""") + "\n");
        _html.Write("</div>\n<div class=\"layers\">\n");
        foreach (var layer in record.Layers)
        {
            var s = layer.Statistics;
            _html.Write(Invariant($"""
                <figure class="layer"><a href="{Url(record.Folder, layer.File)}"><img src="{Url(record.Folder, layer.File)}" alt="layer {Text(layer.Name)} of {title}" loading="lazy"></a>
                <figcaption><b>{Text(layer.Name)}</b> {layer.Height}&times;{layer.Width}&times;{layer.Channels}<br>mean {s.Mean:0.####} &middot; std {s.Std:0.####} &middot; dead {s.DeadChannels}/{layer.Channels} ({s.DeadShare:0%})</figcaption></figure>

                """));
        }
        _html.Write("</div>\n</section>\n");
    }

    /// <summary>Ends the page and flushes it into the stream.</summary>
    public void Finish()
    {
        if (_sections == 0)
            _html.Write("<p>No images.</p>\n");
        _html.Write("</main>\n</body>\n</html>\n");
        _html.Dispose();
    }

    private void WriteOutput(ModelOutput output)
    {
        // A bar only makes sense for probabilities; raw scores are shown as numbers alone.
        var probabilities = output.Values.All(v => v.Value is >= 0 and <= 1);
        var shown = output.Values.Count < output.Count ? Invariant($" (top {output.Values.Count} of {output.Count})") : "";
        _html.Write($"<table class=\"output\"><caption>{Text(output.Name)}: {Text(output.Predicted)}{shown}</caption>\n");
        foreach (var value in output.Values)
        {
            var bar = probabilities ? Invariant($"<meter min=\"0\" max=\"1\" value=\"{value.Value:0.####}\"></meter>") : "";
            _html.Write(Invariant($"<tr><th>{Text(value.Label)}</th><td>{bar}</td><td>{value.Value:0.000}</td></tr>\n"));
        }
        _html.Write("</table>\n");
    }

    private static string ShardNote(RunTotals run) => run.Shards is { Count: > 0 } shards ? $" (merged from {shards.Count} shard summaries)" : "";

    internal static string Text(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A relative link: each path segment percent-encoded (so "#", "?" and "%" in names stay part of the path), then HTML-encoded.</summary>
    internal static string Url(string folder, string file) => Href(OutputLayout.Combine(folder, file));

    /// <summary>A relative link to a '/'-separated path, encoded as <see cref="Url"/> does.</summary>
    internal static string Href(string path) => Text(string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
