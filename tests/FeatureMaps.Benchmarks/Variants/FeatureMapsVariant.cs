using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Benchmarks.Variants;

/// <summary>
/// (c) The library in memory: LoadAndResize, ExtractLayerOutputs, NormalizeForDisplay, ComposeBelt, every
/// <c>Belt.*</c> column read with one cursor into reused <see cref="VBuffer{T}"/>s; no files written.
/// </summary>
internal sealed class FeatureMapsVariant : IVariant
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    public FeatureMapsVariant(MLContext ml, VariantContext context)
    {
        _ml = ml;
        var workload = context.Workload;
        var pipeline = ml.Transforms.LoadAndResize("Image", "ImagePath", workload.Width, workload.Height)
            .Append(ml.Transforms.ExtractLayerOutputs(context.Setup.ExtractOptions))
            .Append(ml.Transforms.NormalizeForDisplay())
            .Append(ml.Transforms.ComposeBelt());
        _model = pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<PathRow>()));
        Threads = "3 InferenceSessions via ApplyOnnxModel (extract, normalize, belt), ML.NET's ORT defaults (own intra-op pool per session)";
    }

    public string Threads { get; }

    public string? Note => null;

    public int Pass(IReadOnlyList<string> files, PassMeter meter)
    {
        var data = _ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { ImagePath = f }));
        var result = _model.Transform(data);
        var belts = result.Schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal)).ToArray();
        var error = result.Schema["ImageError"];
        using var cursor = result.GetRowCursor([.. belts, error]);
        var getters = belts.Select(c => cursor.GetGetter<VBuffer<byte>>(c)).ToArray();
        var errorGetter = cursor.GetGetter<ReadOnlyMemory<char>>(error);
        var buffers = new VBuffer<byte>[belts.Length];
        var message = default(ReadOnlyMemory<char>);
        var errors = 0;
        while (cursor.MoveNext())
        {
            for (var i = 0; i < getters.Length; i++)
                getters[i](ref buffers[i]);
            errorGetter(ref message);
            if (!message.IsEmpty) errors++;
            meter.ImageDone();
        }
        return errors;
    }

    public void Dispose() { }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
