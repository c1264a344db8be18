using System.Diagnostics;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Samples.Cli;

/// <summary>One row read off the cursor: a failed image (with <see cref="Error"/>) or a job for the render queue.</summary>
/// <param name="Image">The image.</param>
/// <param name="Error">Why it could not be loaded; null when it loaded.</param>
/// <param name="Job">Its data, detached from the cursor; null when it failed.</param>
/// <param name="Milliseconds">Time the pipeline spent on the row.</param>
internal sealed record CursorRow(CatalogImage Image, string? Error, RenderJob? Job, double Milliseconds);

/// <summary>
/// The single cursor of a run: the lazily enumerated input rows mapped by the fitted pipeline one at a time on this
/// thread. ML.NET computes a row when its columns are read, so each row is decoded, run through the network and
/// composed into belts here; its values are copied out (the buffers are reused by the next row) and layer statistics
/// computed from the raw activations while they are at hand.
/// </summary>
/// <remarks>
/// The rows are mapped with <see cref="ITransformer.GetRowToRowMapper"/> rather than read from
/// <c>Transform(input).GetRowCursor</c>: for vector columns ML.NET's cursor splits the input over worker threads and
/// consolidates their results in batches of 64 rows, which holds hundreds of rows of feature maps in memory (over 2 GB
/// for a few hundred images of the seed model). A row-to-row mapper has exactly one row in flight.
/// </remarks>
internal sealed class FeatureMapCursor : IDisposable
{
    private readonly DataViewRowCursor _source;
    private readonly DataViewRow _row;
    private readonly ImageCatalog _catalog;
    private readonly IReadOnlyList<string> _classNames;
    private readonly ValueGetter<ReadOnlyMemory<char>> _path;
    private readonly ValueGetter<ReadOnlyMemory<char>> _error;
    private readonly ValueGetter<VBuffer<float>> _image;
    private readonly int[] _imageDims;
    private readonly List<LayerColumns> _layers;
    private readonly List<(string Name, ValueGetter<VBuffer<float>> Get)> _outputs;
    private ReadOnlyMemory<char> _text;
    private VBuffer<float> _floats;
    private VBuffer<byte> _bytes;
    private float[]? _scratch;
    private readonly ReportCam.Columns? _cam;

    public FeatureMapCursor(IDataView input, FeatureMapPipeline pipeline, ImageCatalog catalog)
    {
        _catalog = catalog;
        _classNames = pipeline.ClassNames;
        var mapper = pipeline.Transformer.GetRowToRowMapper(input.Schema);
        var schema = mapper.OutputSchema;
        var layerColumns = schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal))
            .Select(belt => (Belt: belt, Layer: schema[ColumnPrefixes.Layer + belt.Name[ColumnPrefixes.Belt.Length..]]))
            .ToList();
        var outputColumns = schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Output, StringComparison.Ordinal)).ToList();
        DataViewSchema.Column[] wanted =
        [
            schema[pipeline.PathColumn], schema[FeatureMapPipeline.ErrorColumn], schema[FeatureMapPipeline.ImageColumn],
            .. layerColumns.SelectMany(l => new[] { l.Belt, l.Layer }), .. outputColumns, .. ReportCam.Columns.In(schema),
        ];
        _source = input.GetRowCursor(input.Schema);
        _row = mapper.GetRow(_source, wanted);
        _path = _row.GetGetter<ReadOnlyMemory<char>>(schema[pipeline.PathColumn]);
        _error = _row.GetGetter<ReadOnlyMemory<char>>(schema[FeatureMapPipeline.ErrorColumn]);
        _image = _row.GetGetter<VBuffer<float>>(schema[FeatureMapPipeline.ImageColumn]);
        _imageDims = Dimensions(schema[FeatureMapPipeline.ImageColumn]);
        _layers = layerColumns.Select(l => new LayerColumns(l.Belt.Name[ColumnPrefixes.Belt.Length..],
            _row.GetGetter<VBuffer<float>>(l.Layer), Dimensions(l.Layer),
            _row.GetGetter<VBuffer<byte>>(l.Belt), Dimensions(l.Belt))).ToList();
        _outputs = outputColumns.Select(c => (c.Name[ColumnPrefixes.Output.Length..], _row.GetGetter<VBuffer<float>>(c))).ToList();
        _cam = ReportCam.Columns.Find(_row, schema);
    }

    /// <summary>Reads the next row, or returns null after the last.</summary>
    public CursorRow? Next()
    {
        var clock = Stopwatch.StartNew();
        if (!_source.MoveNext())
            return null;
        _path(ref _text);
        var image = _catalog.Resolve(_text.ToString());
        _error(ref _text);
        if (!_text.IsEmpty)
            return new CursorRow(image, _text.ToString(), null, clock.Elapsed.TotalMilliseconds);

        var input = ReadInput();
        var layers = new List<LayerBelt>(_layers.Count);
        var outputs = new List<ModelOutput>(_outputs.Count);
        try
        {
            foreach (var layer in _layers)
                layers.Add(Read(layer));
            foreach (var (name, get) in _outputs)
            {
                get(ref _floats);
                outputs.Add(ModelOutput.From(name, Dense(_floats), _classNames));
            }
        }
        catch
        {
            input.Dispose();
            layers.ForEach(l => l.Belt.Dispose());
            throw;
        }
        var job = new RenderJob { Image = image, Input = input, Layers = layers, Outputs = outputs, Cam = _cam?.Read(_classNames), InferenceMs = clock.Elapsed.TotalMilliseconds };
        return new CursorRow(image, null, job, job.InferenceMs);
    }

    public void Dispose()
    {
        _row.Dispose();
        _source.Dispose();
    }

    /// <summary>The model input as bytes: the column holds 0..255 floats.</summary>
    private PixelBuffer ReadInput()
    {
        _image(ref _floats);
        var values = Dense(_floats);
        var pixels = new PixelBuffer(_imageDims[0], _imageDims[1], _imageDims[2]);
        var span = pixels.Span;
        for (var i = 0; i < span.Length; i++)
            span[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0, 255);
        return pixels;
    }

    private LayerBelt Read(LayerColumns layer)
    {
        layer.Activations(ref _floats);
        var (height, width, channels) = (layer.LayerDims[0], layer.LayerDims[1], layer.LayerDims[2]);
        var statistics = ChannelStatistics.Compute(Dense(_floats), channels);
        layer.Belt(ref _bytes);
        var belt = new PixelBuffer(layer.BeltDims[0], layer.BeltDims[1], 1);
        _bytes.CopyTo(belt.Span);
        return new LayerBelt(layer.Name, height, width, channels, belt, statistics);
    }

    /// <summary>The values of a buffer as one dense span (ONNX outputs are dense already; anything else is expanded).</summary>
    private ReadOnlySpan<float> Dense(in VBuffer<float> buffer)
    {
        if (buffer.IsDense)
            return buffer.GetValues();
        if (_scratch is null || _scratch.Length < buffer.Length)
            _scratch = new float[buffer.Length];
        buffer.CopyTo(_scratch);
        return _scratch.AsSpan(0, buffer.Length);
    }

    private static int[] Dimensions(DataViewSchema.Column column) => ((VectorDataViewType)column.Type).Dimensions.ToArray();

    private sealed record LayerColumns(string Name, ValueGetter<VBuffer<float>> Activations, int[] LayerDims, ValueGetter<VBuffer<byte>> Belt, int[] BeltDims);
}
