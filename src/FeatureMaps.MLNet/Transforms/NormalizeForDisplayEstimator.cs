using FeatureMaps.MLNet.Onnx;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Turns float feature maps (H x W x C) into display bytes of the same shape, by default with the
/// tutorial's <c>x -= mean; x /= std; x *= 64; x += 128; clip(0, 255); astype('uint8')</c> per channel.
/// A constant channel (std = 0) becomes all 128; NaN and infinities never throw (see <see cref="NormalizationMode"/>).
/// </summary>
/// <remarks>The fitted form is ML.NET's ONNX transformer running a generated graph, so it persists in a saved zip.</remarks>
public sealed class NormalizeForDisplayEstimator : IEstimator<ITransformer>
{
    private const string Name = "NormalizeForDisplay";
    private const string Expected = "float feature maps of height x width x channels (an ExtractLayerOutputs column)";
    private readonly TransformsCatalog _catalog;

    internal NormalizeForDisplayEstimator(TransformsCatalog catalog, NormalizeForDisplayOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == NormalizationMode.Percentile && !(options.LowPercentile >= 0 && options.LowPercentile < options.HighPercentile && options.HighPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(options), $"Percentiles must satisfy 0 <= low < high <= 100; got {options.LowPercentile} and {options.HighPercentile}.");
        _catalog = catalog;
        Options = options;
    }

    /// <summary>The options this estimator was made with.</summary>
    public NormalizeForDisplayOptions Options { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var pairs = ColumnSelection.Resolve(inputSchema, Options.Columns, ColumnPrefixes.Layer, ColumnPrefixes.Display, Name);
        foreach (var (input, _) in pairs)
            SchemaShapes.Require(inputSchema, input, Name, Expected, c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
        return SchemaShapes.AddVectors<byte>(_catalog, inputSchema, pairs.Select(p => p.Output));
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pairs = ColumnSelection.Resolve(input.Schema, Options.Columns, ColumnPrefixes.Layer, ColumnPrefixes.Display, Name);
        var columns = pairs.Select(p =>
        {
            var dims = SchemaShapes.Dimensions(input.Schema, p.Input, Name, Expected);
            if (dims.Length != 3 || ((VectorDataViewType)input.Schema[p.Input].Type).ItemType != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(input),
                    $"{Name}: input column '{p.Input}' is {input.Schema[p.Input].Type} with dimensions [{string.Join(", ", dims)}]; expected {Expected}.");
            return (p.Input, p.Output, dims.Select(d => (long)d).ToArray());
        }).ToList();
        var graph = NormalizationGraphFactory.Build(columns, Options.Mode, Options.Scope, Options.Scale, Options.Offset, Options.LowPercentile, Options.HighPercentile);
        return _catalog.ApplyOnnxModel(columns.Select(c => c.Output).ToArray(), columns.Select(c => c.Input).ToArray(),
            new MemoryStream(graph.ToByteArray())).Fit(input);
    }
}
