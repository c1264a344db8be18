using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Rendering;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// <c>featuremaps cam --model M.onnx --images DIR --out DIR [--method eigen|score|occlusion] [--layer L] [--target K]</c>:
/// a class activation map per image, drawn over the photo next to it (<c>&lt;image&gt;.cam.png</c>), with
/// <c>index.html</c> and <c>cam.json</c>. Prints the time per image, split into computing the maps and drawing them.
/// </summary>
internal static class CamCommand
{
    private static readonly Dictionary<string, CamMethod> Methods = new()
    {
        ["eigen"] = CamMethod.Eigen, ["score"] = CamMethod.Score, ["occlusion"] = CamMethod.Occlusion,
    };

    public static Command Create()
    {
        var model = new Option<string>("--model") { HelpName = "M.onnx", Description = "The ONNX classifier.", Required = true };
        var images = new Option<string>("--images") { HelpName = "DIR", Description = "Folder of images (jpg, jpeg, png, bmp, gif, webp).", Required = true };
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "Output folder for <image>.cam.png, index.html and cam.json.", Required = true };
        var method = new Option<string>("--method") { Description = "eigen (one run, class-agnostic), score (one run per channel of the layer) or occlusion (one run per patch position).", DefaultValueFactory = _ => "eigen" };
        method.AcceptOnlyFromAmong([.. Methods.Keys]);
        var layer = new Option<string>("--layer") { HelpName = "LAYER", Description = "The 4-D layer to map. Default: the last one larger than 1x1." };
        var target = new Option<int?>("--target") { HelpName = "K", Description = "The class to explain. Default: the predicted class of each image." };
        var preprocess = new Option<string>("--preprocess", "--preset")
        {
            HelpName = "PRESET|SPEC",
            Description = $"How pixels become model input: {string.Join(", ", InputPreprocessing.Presets.Select(p => p.Name))}, or a custom spec as for run.",
            DefaultValueFactory = _ => InputPreprocessing.Keras.Name,
        };
        var inputModel = new Option<string>("--input-model") { HelpName = "PRE.onnx", Description = "An ONNX model run on the preprocessed pixels before --model." };
        var colormap = new Option<string>("--colormap") { HelpName = "NAME", Description = "The overlay's colormap.", DefaultValueFactory = _ => CamOverlayOptions.Defaults.Colormap };
        var batch = new Option<int>("--batch") { HelpName = "N", Description = "Masked inputs per model run (score, occlusion).", DefaultValueFactory = _ => ClassActivationMapOptions.Defaults.MaxBatchSize };
        var command = new Command("cam", "Draw where the network looks: a class activation map per image over the photo (Eigen-CAM, Score-CAM or occlusion).")
        {
            model, images, output, method, layer, target, preprocess, inputModel, colormap, batch,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var overlay = new CamOverlayOptions { Colormap = Colormaps.FromName(parse.GetValue(colormap)!) };
            return Run(new ClassActivationMapOptions
            {
                ModelPath = parse.GetValue(model)!,
                Method = Methods[parse.GetValue(method)!],
                Layer = parse.GetValue(layer),
                TargetClass = parse.GetValue(target),
                Preprocessing = InputPreprocessing.Parse(parse.GetValue(preprocess)!),
                InputModelPath = parse.GetValue(inputModel),
                MaxBatchSize = parse.GetValue(batch),
            }, parse.GetValue(images)!, parse.GetValue(output)!, overlay);
        }));
        return command;
    }

    private static int Run(ClassActivationMapOptions options, string imagesPath, string outPath, CamOverlayOptions overlay)
    {
        if (!Directory.Exists(imagesPath))
            throw new DirectoryNotFoundException($"Image folder '{imagesPath}' does not exist.");
        var outFolder = Directory.CreateDirectory(outPath).FullName;
        var catalog = new ImageCatalog(imagesPath, recursive: false, excluded: outFolder);
        var images = catalog.Enumerate(Shard.All).ToList();
        var ml = new MLContext();
        var cam = ml.Transforms.ClassActivationMap(options);
        var input = cam.Model.ImageInput;
        var front = options.InputModelPath is { } frontPath ? OnnxModelInspector.Inspect(frontPath).ImageInput : input;
        var (h, w, c) = front.ImageGeometry;
        var loading = new LoadAndResizeOptions
        {
            Width = (int)(w.Size ?? throw new ArgumentException($"The input '{front.Name}' has a symbolic width; CAMs need a fixed-size classifier.")),
            Height = (int)(h.Size ?? throw new ArgumentException($"The input '{front.Name}' has a symbolic height; CAMs need a fixed-size classifier.")),
            Channels = (int?)c.Size ?? LoadAndResizeOptions.Defaults.Channels,
        };
        var load = ml.Transforms.LoadAndResize(loading);
        var empty = ImagePathView.Create(ml, [], LoadAndResizeOptions.Defaults.InputColumnName);
        var loadFitted = load.Fit(empty);
        var plan = cam.Plan(loadFitted.GetOutputSchema(empty.Schema));
        Console.WriteLine($"cam: {options.Method.ToString().ToLowerInvariant()} on layer '{plan.Layer}' ({plan.LayerHeight}x{plan.LayerWidth}x{plan.LayerChannels}), " +
                          $"map {plan.MapHeight}x{plan.MapWidth}, {1 + plan.MaskedRuns} model runs per image" +
                          (plan.MaskedRuns > 0 ? $" ({plan.MaskedRuns} masked, {plan.BatchSize} per batch{(plan.WhySequential is { } why ? $"; one at a time: {why}" : "")})" : ""));
        ITransformer fitted;
        try
        {
            fitted = load.Append(cam).Fit(empty);
        }
        catch (InvalidOperationException e)
        {
            // A generated graph ONNX Runtime cannot load is reported this way.
            throw new OnnxModelException(options.ModelPath, $"ML.NET cannot run the class-activation-map graph of '{options.ModelPath}': {e.Message}", e);
        }

        using var owner = FittedTransformers.Owning(fitted);
        var classNames = cam.Model.ClassNames;
        var records = new List<CamRecord>();
        var (compute, render) = (new Stopwatch(), new Stopwatch());
        var view = ImagePathView.Create(ml, images.Select(i => i.FullPath), LoadAndResizeOptions.Defaults.InputColumnName);
        var mapper = fitted.GetRowToRowMapper(view.Schema);
        var schema = mapper.OutputSchema;
        using var source = view.GetRowCursor(view.Schema);
        using var row = mapper.GetRow(source, [schema["Image"], schema["ImageError"], schema[options.OutputColumnName], schema[cam.ClassColumnName], schema[cam.ScoreColumnName]]);
        var getImage = row.GetGetter<VBuffer<float>>(schema["Image"]);
        var getError = row.GetGetter<ReadOnlyMemory<char>>(schema["ImageError"]);
        var getMap = row.GetGetter<VBuffer<float>>(schema[options.OutputColumnName]);
        var getClass = row.GetGetter<VBuffer<long>>(schema[cam.ClassColumnName]);
        var getScore = row.GetGetter<VBuffer<float>>(schema[cam.ScoreColumnName]);
        var (pixels, map, target, score, error) = (default(VBuffer<float>), default(VBuffer<float>), default(VBuffer<long>), default(VBuffer<float>), default(ReadOnlyMemory<char>));
        foreach (var image in images)
        {
            if (!source.MoveNext()) break;
            getError(ref error);
            if (!error.IsEmpty)
            {
                Console.Error.WriteLine($"{image.RelativePath}: {error}");
                records.Add(new CamRecord(image.RelativePath, null, null, null, null, error.ToString()));
                continue;
            }
            compute.Start();
            getMap(ref map);
            getClass(ref target);
            getScore(ref score);
            compute.Stop();
            getImage(ref pixels);
            render.Start();
            var k = target.GetValues()[0];
            var name = k < classNames.Count ? classNames[(int)k] : $"class {k}";
            var title = $"{name} ({score.GetValues()[0]:P1}) · {options.Method.ToString().ToLowerInvariant()} · {plan.Layer}";
            var file = OutputLayout.Segment(image.RelativePath) + ".cam.png"; // hashed when unsafe, so two names never share a file
            CamPlot.SavePng(Path.Combine(outFolder, file), map.GetValues(), plan.MapHeight, plan.MapWidth, pixels.GetValues(), loading.Height, loading.Width, loading.Channels, title, overlay);
            render.Stop();
            records.Add(new CamRecord(image.RelativePath, file, k, name, score.GetValues()[0], null));
            Console.WriteLine($"{image.RelativePath}: {name} {score.GetValues()[0]:P1}");
        }

        var done = records.Count(r => r.Error is null);
        var perImage = done == 0 ? 0 : compute.Elapsed.TotalSeconds / done;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cam: {done} images, maps {compute.Elapsed.TotalSeconds:F2} s ({perImage:F3} s per image), drawing {render.Elapsed.TotalSeconds:F2} s; {records.Count - done} failed; {outFolder}"));
        WriteIndex(outFolder, options, plan, records, perImage);
        return records.Any(r => r.Error is not null) ? ExitCodes.FinishedWithFailures : ExitCodes.Success;
    }

    private sealed record CamRecord(string Image, string? Overlay, long? Class, string? ClassName, float? Score, string? Error);

    private static void WriteIndex(string folder, ClassActivationMapOptions options, CamPlan plan, List<CamRecord> records, double secondsPerImage)
    {
        AtomicFiles.Write(Path.Combine(folder, "cam.json"), stream => JsonSerializer.Serialize(stream, new
        {
            model = Path.GetFileName(options.ModelPath),
            method = options.Method.ToString().ToLowerInvariant(),
            plan,
            secondsPerImage,
            images = records,
        }, CliJson.Options));
        var html = new System.Text.StringBuilder();
        string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        html.Append("<!doctype html><meta charset=\"utf-8\"><title>Where the network looks</title>")
            .Append("<style>body{font-family:sans-serif;margin:1em}figure{display:inline-block;margin:.5em}img{max-width:480px}.error{color:#b00}</style>")
            .Append($"<h1>Where {E(Path.GetFileName(options.ModelPath))} looks</h1><p>{E(options.Method.ToString())}-CAM on layer {E(plan.Layer)}, map {plan.MapHeight}x{plan.MapWidth}.</p>");
        foreach (var record in records)
            html.Append(record.Overlay is null
                ? $"<p class=\"error\">{E(record.Image)}: {E(record.Error)}</p>"
                : $"<figure><img src=\"{E(Uri.EscapeDataString(record.Overlay))}\" alt=\"{E(record.Image)}\"><figcaption>{E(record.Image)}: {E(record.ClassName)} {record.Score:P1}</figcaption></figure>");
        AtomicFiles.WriteAllBytes(Path.Combine(folder, "index.html"), System.Text.Encoding.UTF8.GetBytes(html.ToString()));
    }
}
