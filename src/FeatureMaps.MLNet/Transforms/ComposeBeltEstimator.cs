using FeatureMaps.MLNet.Onnx;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Places the k channel images of each display column side by side: an H x (k*W) byte "belt",
/// exactly the tutorial's <c>image_belt[:, i*W:(i+1)*W] = channel_image</c>, or a grid of
/// <see cref="ComposeBeltOptions.ChannelsPerRow"/> tiles per row with optional spacing.
/// </summary>
/// <remarks>The fitted form is ML.NET's ONNX transformer running a generated graph, so it persists in a saved zip.</remarks>
public sealed class ComposeBeltEstimator : IEstimator<ITransformer>
{
    private const string Name = "ComposeBelt";
    private const string Expected = "display bytes of height x width x channels (a NormalizeForDisplay column)";
    private readonly TransformsCatalog _catalog;

    internal ComposeBeltEstimator(TransformsCatalog catalog, ComposeBeltOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelsPerRow is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"ChannelsPerRow must be positive; got {options.ChannelsPerRow}.");
        if (options.MaxChannels is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"MaxChannels must be positive; got {options.MaxChannels}.");
        if (options.Spacing < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Spacing must not be negative; got {options.Spacing}.");
        _catalog = catalog;
        Options = options;
    }

    /// <summary>The options this estimator was made with.</summary>
    public ComposeBeltOptions Options { get; }

    /// <summary>The belt geometry for a display column of <paramref name="height"/> x <paramref name="width"/> x <paramref name="channels"/>.</summary>
    public BeltGeometry GeometryFor(int height, int width, int channels)
    {
        var shown = Math.Min(channels, Options.MaxChannels ?? channels);
        return new BeltGeometry(height, width, shown, Math.Min(shown, Options.ChannelsPerRow ?? shown), Options.Spacing);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var pairs = ColumnSelection.Resolve(inputSchema, Options.Columns, ColumnPrefixes.Display, ColumnPrefixes.Belt, Name);
        foreach (var (input, _) in pairs)
            SchemaShapes.Require(inputSchema, input, Name, Expected, c => c.IsKnownSizeVectorOf(NumberDataViewType.Byte));
        return SchemaShapes.AddVectors<byte>(_catalog, inputSchema, pairs.Select(p => p.Output));
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pairs = ColumnSelection.Resolve(input.Schema, Options.Columns, ColumnPrefixes.Display, ColumnPrefixes.Belt, Name);
        var columns = pairs.Select(p =>
        {
            var dims = SchemaShapes.Dimensions(input.Schema, p.Input, Name, Expected);
            if (dims.Length != 3 || ((VectorDataViewType)input.Schema[p.Input].Type).ItemType != NumberDataViewType.Byte)
                throw new ArgumentOutOfRangeException(nameof(input),
                    $"{Name}: input column '{p.Input}' is {input.Schema[p.Input].Type} with dimensions [{string.Join(", ", dims)}]; expected {Expected}.");
            return (p.Input, p.Output, dims.Select(d => (long)d).ToArray(), GeometryFor(dims[0], dims[1], dims[2]));
        }).ToList();
        var graph = BeltGraphFactory.Build(columns, Options.Background);
        return _catalog.ApplyOnnxModel(columns.Select(c => c.Output).ToArray(), columns.Select(c => c.Input).ToArray(),
            new MemoryStream(graph.ToByteArray())).Fit(input);
    }
}
