using System.IO.Compression;
using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Persistence;

/// <summary>Loading saved FeatureMaps pipelines.</summary>
public static class FeatureMapsModel
{
    /// <summary>
    /// Makes a pipeline zip saved with <c>mlContext.Model.Save</c> loadable by a plain
    /// <c>mlContext.Model.Load</c>: registers the image-loading steps recorded in the zip with this
    /// context's component catalog, and refuses a zip written by a newer format. Call it once per
    /// context before loading; it reads the zip and runs nothing in it.
    /// </summary>
    /// <example><code>
    /// var ml = new MLContext();
    /// ml.RegisterFeatureMaps("featuremaps.zip");
    /// var model = ml.Model.Load("featuremaps.zip", out var schema);
    /// </code></example>
    /// <exception cref="InvalidDataException">The file is not a readable pipeline zip.</exception>
    /// <exception cref="NotSupportedException">The zip comes from a newer, unknown format.</exception>
    public static void RegisterFeatureMaps(this MLContext mlContext, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Pipeline zip '{modelPath}' does not exist.", modelPath);
        using var stream = File.OpenRead(modelPath);
        Register(mlContext, stream, modelPath);
    }

    /// <summary>
    /// Loads a pipeline zip saved with <c>mlContext.Model.Save</c> (registering it first, as
    /// <see cref="RegisterFeatureMaps(MLContext, string)"/> does) with its generated-graph steps running ONNX Runtime
    /// directly again, as they did when fitted. A plain <c>mlContext.Model.Load</c> gives the same values through
    /// ML.NET's own ONNX transformer, which copies every activation per row (several times slower on large models).
    /// </summary>
    /// <remarks>
    /// Each ML.NET ONNX step of the zip whose graph this library generated is replaced by the fast form over the same
    /// graph bytes; any other step, a model's own ONNX step included, stays ML.NET's. Dispose the returned transformers
    /// (they hold ONNX Runtime sessions) when done.
    /// </remarks>
    /// <example><code>
    /// var ml = new MLContext();
    /// var model = ml.LoadFeatureMaps("featuremaps.zip", out var inputSchema);
    /// var belts = model.Transform(ml.Data.LoadFromEnumerable(paths));
    /// </code></example>
    /// <exception cref="InvalidDataException">The file is not a readable pipeline zip.</exception>
    /// <exception cref="NotSupportedException">The zip comes from a newer, unknown format.</exception>
    public static ITransformer LoadFeatureMaps(this MLContext mlContext, string modelPath, out DataViewSchema inputSchema)
    {
        mlContext.RegisterFeatureMaps(modelPath);
        var model = mlContext.Model.Load(modelPath, out inputSchema);
        using var zip = ZipFile.OpenRead(modelPath);
        var graphs = zip.Entries.Where(e => e.Name == "OnnxModel")
            .ToDictionary(e => e.FullName[..^"/OnnxModel".Length], e => ReadAll(e));
        return StockGraphSteps.Replace(mlContext, model, inputSchema, graphs);
    }

    /// <summary>As <see cref="RegisterFeatureMaps(MLContext, string)"/>, for a seekable stream (rewound afterwards).</summary>
    public static void RegisterFeatureMaps(this MLContext mlContext, Stream model)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var start = model.Position;
        Register(mlContext, model, "pipeline stream");
        model.Position = start;
    }

    /// <summary>
    /// The metadata of the model inside a saved pipeline (for example <c>classes</c>, the class names of its
    /// outputs), read without loading the pipeline; empty when the zip holds no ExtractLayerOutputs step.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a readable pipeline zip.</exception>
    public static IReadOnlyDictionary<string, string> ReadModelMetadata(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        try
        {
            using var zip = ZipFile.OpenRead(modelPath);
            foreach (var entry in zip.Entries.Where(e => e.Name == "OnnxModel"))
            {
                var graph = ParseGeneratedGraph(ReadAll(entry));
                if (graph.MetadataProps.Any(p => p.Key == PipelineFormat.KindKey && p.Value == "layers"))
                    return graph.MetadataProps.Where(p => !p.Key.StartsWith("featuremaps.", StringComparison.Ordinal))
                        .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
            }
            return new Dictionary<string, string>();
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException($"Cannot read pipeline zip '{modelPath}': {e.Message}. Expected a zip written by mlContext.Model.Save.", e);
        }
    }

    private static void Register(MLContext mlContext, Stream stream, string source)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in zip.Entries)
            {
                if (entry.Name == "Model.key")
                {
                    foreach (var contract in ImageMappingContract.FindIn(ReadAll(entry)).Distinct())
                        mlContext.ComponentCatalog.RegisterAssembly(ImageMappingTypes.For(ImageMappingContract.Decode(contract, source)).Assembly);
                }
                else if (entry.Name == "OnnxModel")
                {
                    CheckGeneratedGraph(ReadAll(entry), source);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new InvalidDataException($"Cannot read pipeline zip '{source}': {e.Message}. Expected a zip written by mlContext.Model.Save.", e);
        }
    }

    /// <summary>The graph's metadata says which format wrote it.</summary>
    private static void CheckGeneratedGraph(byte[] entry, string source)
    {
        var format = ParseGeneratedGraph(entry).MetadataProps.FirstOrDefault(p => p.Key == PipelineFormat.MetadataKey);
        if (format is not null && int.TryParse(format.Value, out var version))
            PipelineFormat.EnsureReadable(version, source);
    }

    /// <summary>ML.NET stores each ONNX graph after a length prefix.</summary>
    private static global::Onnx.ModelProto ParseGeneratedGraph(byte[] entry)
    {
        const int prefix = sizeof(int);
        if (entry.Length < prefix || BitConverter.ToInt32(entry, 0) != entry.Length - prefix)
            throw new InvalidDataException("an ONNX graph inside is truncated");
        try
        {
            return global::Onnx.ModelProto.Parser.ParseFrom(entry.AsSpan(prefix));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"an ONNX graph inside is damaged ({e.Message})", e);
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
