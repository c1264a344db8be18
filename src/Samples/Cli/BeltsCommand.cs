using System.CommandLine;
using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Reading;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// <c>featuremaps belts --pipeline featuremaps.zip --image cat.png --out dir</c>: loads a saved pipeline
/// in this process and writes each belt of one image as a raw 8-bit PGM, byte for byte what the pipeline made.
/// </summary>
internal static class BeltsCommand
{
    public static Command Create()
    {
        var pipeline = new Option<FileInfo>("--pipeline") { Description = "A fitted pipeline zip saved with mlContext.Model.Save.", Required = true };
        var image = new Option<FileInfo>("--image") { Description = "The image to run.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for <layer>.pgm files.", Required = true };
        var pathColumn = new Option<string>("--path-column") { Description = "The pipeline's image path column.", DefaultValueFactory = _ => LoadAndResizeOptions.Defaults.InputColumnName };
        var budget = new Option<double?>("--max-activation-mb")
        {
            HelpName = "MB",
            Description = "Read the layers in passes of at most this many MB of activations (a pipeline saved by `run --max-activation-mb` computes them separately).",
        };
        var command = new Command("belts", "Run a saved pipeline zip on one image and write its raw belts as PGM files; prints the peak memory.") { pipeline, image, output, pathColumn, budget };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var ml = new MLContext();
            var maxBytes = parse.GetValue(budget) is { } mb ? (long?)Math.Max(1, (long)(mb * 1024 * 1024)) : null;
            if (maxBytes is not null)
                ml.SetOnnxSessionOption(new OnnxSessionOptions { EnableCpuMemArena = false }); // see Runner: the arena keeps each session's peak
            var zip = parse.GetValue(pipeline)!.FullName;
            var model = ml.LoadFeatureMaps(zip, out _);
            using var owner = FittedTransformers.Owning(model);
            var data = ImagePathView.Create(ml, [parse.GetValue(image)!.FullName], parse.GetValue(pathColumn)!);
            var folder = parse.GetValue(output)!;
            folder.Create();
            using var reader = new FeatureMapReader(model, data, maxBytes);
            foreach (var warning in reader.Warnings)
                Console.Error.WriteLine($"warning: {warning}");
            var belt = default(VBuffer<byte>);
            while (reader.MoveNext())
                foreach (var pass in reader.ReadPasses())
                    foreach (var column in pass.Columns.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)))
                    {
                        var dims = ((VectorDataViewType)column.Type).Dimensions;
                        pass.Row.GetGetter<VBuffer<byte>>(column)(ref belt);
                        Pgm.Write(Path.Combine(folder.FullName, FileNames.Safe(column.Name[ColumnPrefixes.Belt.Length..]) + ".pgm"), belt.DenseValues().ToArray(), dims[0], dims[1]);
                    }
            Console.Error.WriteLine($"{reader.Passes.Count} passes; peak memory: {PeakMemory.Describe()}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
