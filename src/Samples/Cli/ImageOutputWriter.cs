using System.Diagnostics;
using System.Globalization;
using FeatureMaps.MLNet.Rendering;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// Writes one image's folder: the model input, one belt figure per layer (and raw PGM belts with <c>--pgm</c>), the
/// contact sheet, and <c>done.json</c> last, each file atomically. A folder is emptied of earlier outputs first, so it
/// always holds one attempt's files, and a killed attempt leaves no <c>done.json</c>.
/// </summary>
internal sealed class ImageOutputWriter(OutputLayout layout, RunOptions options, string settings)
{
    /// <summary>
    /// Files this tool writes into an image folder; only these are removed when the image is redone. done.json goes
    /// first: a run killed halfway through the clean-up must not leave a completion marker beside missing pictures.
    /// </summary>
    private static readonly string[] OwnFiles = [OutputLayout.DoneFile, "*.png", "*.pgm", OutputLayout.ChannelActivityFile, AtomicFiles.TemporaryPattern];

    public ImageRecord Write(RenderJob job)
    {
        var clock = Stopwatch.StartNew();
        var folder = OutputLayout.ImageFolder(job.Image.RelativePath);
        var path = Prepare(folder);
        AtomicFiles.WriteAllBytes(Path.Combine(path, OutputLayout.InputFile), InputPicture.EncodePng(job.Input));

        var colormap = Colormaps.FromName(options.Colormap);
        // Each figure is rendered once: encoded for its own PNG, then drawn as it is onto the contact sheet.
        using var figures = new Figures(job.Layers.Count);
        var layers = new List<LayerResult>(job.Layers.Count);
        foreach (var layer in job.Layers)
        {
            // A capped layer says so on the picture, so nobody mistakes 64 maps for the whole layer.
            var title = options.TitleOf(layer.Name, layer.Channels);
            var plot = options.TutorialFigure
                ? BeltPlotOptions.Tutorial(title, Math.Min(layer.Channels, options.MaxChannels ?? layer.Channels)) with { Colormap = colormap }
                : new BeltPlotOptions { Title = title, Colormap = colormap };
            var figure = BeltPlot.Render(layer.Belt.Span, layer.Belt.Height, layer.Belt.Width, plot);
            figures.Add(figure);
            var file = OutputLayout.LayerFile(layer.Name);
            AtomicFiles.WriteAllBytes(Path.Combine(path, file), figure.EncodePng());
            string? raw = null;
            if (options.Pgm)
            {
                raw = OutputLayout.LayerFile(layer.Name, ".pgm");
                Pgm.Write(Path.Combine(path, raw), layer.Belt.Span, layer.Belt.Height, layer.Belt.Width);
            }
            layers.Add(new LayerResult(layer.Name, file, raw, layer.Height, layer.Width, layer.Channels, layer.Belt.Height, layer.Belt.Width, layer.Statistics));
        }

        var cam = ReportCam.Write(job, path);
        var sheet = ContactSheet.RenderPng(job.Input, job.Image.RelativePath, SheetLines(job), figures);
        AtomicFiles.WriteAllBytes(Path.Combine(path, OutputLayout.ContactSheetFile), sheet);
        new ImageChannelActivity(job.Layers.Select(l => LayerChannelActivity.From(l.Name, l.Activity)).ToList())
            .Write(Path.Combine(path, OutputLayout.ChannelActivityFile));

        var record = new ImageRecord
        {
            Path = job.Image.RelativePath,
            Folder = folder,
            Status = ImageStatus.Ok,
            Settings = settings,
            Input = OutputLayout.InputFile,
            ContactSheet = OutputLayout.ContactSheetFile,
            ChannelActivity = OutputLayout.ChannelActivityFile,
            Outputs = job.Outputs,
            Cam = cam,
            Layers = layers,
            Timings = new ImageTimings(job.InferenceMs, clock.Elapsed.TotalMilliseconds),
        };
        record.Write(Path.Combine(path, OutputLayout.DoneFile));
        return record;
    }

    /// <summary>Records a failed image: its folder holds only <c>done.json</c> with the error.</summary>
    public ImageRecord WriteFailed(CatalogImage image, string error, double inferenceMs)
    {
        var record = ImageRecord.Failed(image, settings, error, inferenceMs);
        record.Write(Path.Combine(Prepare(record.Folder), OutputLayout.DoneFile));
        return record;
    }

    /// <summary>Creates the image's folder and removes what an earlier or killed attempt left in it.</summary>
    private string Prepare(string folder)
    {
        var path = layout.FullPath(folder);
        Directory.CreateDirectory(path);
        foreach (var pattern in OwnFiles)
            foreach (var file in Directory.EnumerateFiles(path, pattern))
                File.Delete(file);
        return path;
    }

    private static List<string> SheetLines(RenderJob job)
    {
        var lines = job.Outputs.Select(o => $"{o.Name}: {o.Predicted}  (" +
            string.Join(", ", o.Values.Take(ModelOutput.TopValues).Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Label} {v.Value:0.000}"))) + ")").ToList();
        lines.Add($"model input {job.Input.Width}x{job.Input.Height}x{job.Input.Channels}, {job.Layers.Count} layers");
        return lines;
    }

    /// <summary>An image's rendered figures, kept for the contact sheet; their pixels are freed however the image ends.</summary>
    private sealed class Figures(int capacity) : List<BeltFigure>(capacity), IDisposable
    {
        public void Dispose() => ForEach(figure => figure.Dispose());
    }
}
