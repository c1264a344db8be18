using System.CommandLine;
using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

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
        var command = new Command("belts", "Run a saved pipeline zip on one image and write its raw belts as PGM files.") { pipeline, image, output, pathColumn };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var ml = new MLContext();
            var zip = parse.GetValue(pipeline)!.FullName;
            ml.RegisterFeatureMaps(zip);
            var model = ml.Model.Load(zip, out _);
            var data = ImagePathView.Create(ml, [parse.GetValue(image)!.FullName], parse.GetValue(pathColumn)!);
            var result = model.Transform(data);
            var folder = parse.GetValue(output)!;
            folder.Create();
            foreach (var column in result.Schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)))
            {
                var dims = ((VectorDataViewType)column.Type).Dimensions;
                var belt = result.GetColumn<VBuffer<byte>>(column).First().DenseValues().ToArray();
                var layer = column.Name[ColumnPrefixes.Belt.Length..];
                Pgm.Write(Path.Combine(folder.FullName, FileNames.Safe(layer) + ".pgm"), belt, dims[0], dims[1]);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
