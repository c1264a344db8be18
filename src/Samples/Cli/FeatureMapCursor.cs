using System.Diagnostics;
using FeatureMaps.MLNet.Statistics;
using FeatureMaps.MLNet.Reading;
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
/// The single cursor of a run: the lazily enumerated input rows read by the library's <see cref="FeatureMapReader"/>, one
/// image at a time on this thread and, under <c>--max-activation-mb</c>, in passes of layers. Each row is decoded, run
/// through the network and composed into belts here; its values are copied out (the buffers are reused by the next row
/// or pass) and layer statistics computed from the raw activations while they are at hand.
/// </summary>
/// <remarks>
/// The reader maps one row at a time rather than reading <c>Transform(input).GetRowCursor</c>, whose worker threads
/// read ahead in batches of 64 rows (over 2 GB for a few hundred images of the seed model); see <see cref="FeatureMapReader"/>.
/// </remarks>
internal sealed class FeatureMapCursor : IDisposable
{
    private readonly FeatureMapReader _reader;
    private readonly ImageCatalog _catalog;
    private readonly IReadOnlyList<string> _classNames;
    private readonly ValueGetter<ReadOnlyMemory<char>> _path;
    private readonly ValueGetter<ReadOnlyMemory<char>> _error;
    private readonly ValueGetter<VBuffer<float>> _image;
    private readonly int[] _imageDims;
    private readonly Dictionary<string, int> _layerOrder;
    private ReadOnlyMemory<char> _text;
    private VBuffer<float> _floats;
    private VBuffer<byte> _bytes;
    private float[]? _scratch;

    public FeatureMapCursor(IDataView input, FeatureMapPipeline pipeline, ImageCatalog catalog, long? maxActivationBytes = null)
    {
        _catalog = catalog;
        _classNames = pipeline.ClassNames;
        _reader = new FeatureMapReader(pipeline.Transformer, input, maxActivationBytes);
        var row = _reader.Row.Schema;
        _path = _reader.Row.GetGetter<ReadOnlyMemory<char>>(row[pipeline.PathColumn]);
        _error = _reader.Row.GetGetter<ReadOnlyMemory<char>>(row[FeatureMapPipeline.ErrorColumn]);
        _image = _reader.Row.GetGetter<VBuffer<float>>(row[FeatureMapPipeline.ImageColumn]);
        _imageDims = Dimensions(row[FeatureMapPipeline.ImageColumn]);
        // Layers are reported in the order of their belt columns, whatever passes they are read in.
        _layerOrder = _reader.Schema.Where(c => c.Name.StartsWith(ColumnPrefixes.Layer, StringComparison.Ordinal))
            .Select((c, i) => (Name: c.Name[ColumnPrefixes.Layer.Length..], i)).ToDictionary(l => l.Name, l => l.i);
    }

    /// <summary>The passes each image is read in (one without a budget).</summary>
    public IReadOnlyList<ActivationPass> Passes => _reader.Passes;

    /// <summary>Layers that alone exceed the budget (read anyway, alone).</summary>
    public IReadOnlyList<string> Warnings => _reader.Warnings;

    /// <summary>Reads the next row, or returns null after the last.</summary>
    public CursorRow? Next()
    {
        var clock = Stopwatch.StartNew();
        if (!_reader.MoveNext())
            return null;
        _path(ref _text);
        var image = _catalog.Resolve(_text.ToString());
        _error(ref _text);
        if (!_text.IsEmpty)
            return new CursorRow(image, _text.ToString(), null, clock.Elapsed.TotalMilliseconds);

        var input = ReadInput();
        var layers = new List<LayerBelt>(_layerOrder.Count);
        var outputs = new List<ModelOutput>();
        CamMap? cam = null;
        try
        {
            foreach (var pass in _reader.ReadPasses())
            {
                cam ??= ReportCam.Columns.Find(pass)?.Read(_classNames);
                foreach (var column in pass.Columns)
                {
                    if (column.Name.StartsWith(ColumnPrefixes.Belt, StringComparison.Ordinal))
                        layers.Add(Read(pass.Row, column.Name[ColumnPrefixes.Belt.Length..]));
                    else if (column.Name.StartsWith(ColumnPrefixes.Output, StringComparison.Ordinal))
                    {
                        pass.Row.GetGetter<VBuffer<float>>(column)(ref _floats);
                        outputs.Add(ModelOutput.From(column.Name[ColumnPrefixes.Output.Length..], Dense(_floats), _classNames));
                    }
                }
            }
        }
        catch
        {
            input.Dispose();
            layers.ForEach(l => l.Belt.Dispose());
            throw;
        }
        layers.Sort((a, b) => _layerOrder[a.Name].CompareTo(_layerOrder[b.Name]));
        var job = new RenderJob { Image = image, Input = input, Layers = layers, Outputs = outputs, Cam = cam, InferenceMs = clock.Elapsed.TotalMilliseconds };
        return new CursorRow(image, null, job, job.InferenceMs);
    }

    public void Dispose() => _reader.Dispose();

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

    /// <summary>A layer's belt and the statistics of its raw activations, from the pass row that holds them.</summary>
    private LayerBelt Read(DataViewRow row, string name)
    {
        var activations = row.Schema[ColumnPrefixes.Layer + name];
        var beltColumn = row.Schema[ColumnPrefixes.Belt + name];
        var (layerDims, beltDims) = (Dimensions(activations), Dimensions(beltColumn));
        row.GetGetter<VBuffer<float>>(activations)(ref _floats);
        var (height, width, channels) = (layerDims[0], layerDims[1], layerDims[2]);
        var statistics = ChannelStatistics.Compute(Dense(_floats), channels);
        var activity = ChannelActivity.Measure(Dense(_floats), channels);
        row.GetGetter<VBuffer<byte>>(beltColumn)(ref _bytes);
        var belt = new PixelBuffer(beltDims[0], beltDims[1], 1);
        _bytes.CopyTo(belt.Span);
        return new LayerBelt(name, height, width, channels, belt, statistics, activity);
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
}
