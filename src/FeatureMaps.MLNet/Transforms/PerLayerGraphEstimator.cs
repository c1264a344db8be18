using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// What <see cref="NormalizeForDisplayEstimator"/> and <see cref="ComposeBeltEstimator"/> share: they map
/// every H x W x C column of one prefix to a byte column of another prefix with a generated ONNX graph
/// that ML.NET's own ONNX transformer runs (one run per row for all layers) and persists.
/// </summary>
public abstract class PerLayerGraphEstimator : IEstimator<ITransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly string _name;
    private readonly string _inputPrefix;
    private readonly string _outputPrefix;
    private readonly PrimitiveDataViewType _inputItem;
    private readonly string _expected;
    private readonly IReadOnlyList<(string Input, string Output)>? _columns;

    private protected PerLayerGraphEstimator(TransformsCatalog catalog, string name, IReadOnlyList<(string Input, string Output)>? columns,
        string inputPrefix, string outputPrefix, PrimitiveDataViewType inputItem, string expected)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        (_catalog, _name, _columns, _inputPrefix, _outputPrefix, _inputItem, _expected) =
            (catalog, name, columns, inputPrefix, outputPrefix, inputItem, expected);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var pairs = ColumnSelection.Resolve(inputSchema, _columns, _inputPrefix, _outputPrefix, _name);
        foreach (var (input, _) in pairs)
            SchemaShapes.Require(inputSchema, input, _name, _expected, c => c.IsKnownSizeVectorOf(_inputItem));
        return SchemaShapes.AddVectors<byte>(_catalog, inputSchema, pairs.Select(p => p.Output));
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var columns = ColumnSelection.Resolve(input.Schema, _columns, _inputPrefix, _outputPrefix, _name).Select(p =>
        {
            var dims = SchemaShapes.Dimensions(input.Schema, p.Input, _name, _expected);
            if (dims.Length != 3 || ((VectorDataViewType)input.Schema[p.Input].Type).ItemType != _inputItem)
                throw new ArgumentOutOfRangeException(nameof(input),
                    $"{_name}: input column '{p.Input}' is {input.Schema[p.Input].Type} with dimensions [{string.Join(", ", dims)}]; expected {_expected}.");
            return new LayerColumn(p.Input, p.Output, dims[0], dims[1], dims[2]);
        }).ToList();
        // These graphs are a few elementwise passes: one ONNX Runtime thread each, so their pools do not
        // compete for the cores with the model's own session and with ML.NET's row threads.
        return GeneratedGraphFile.Apply(_catalog, BuildGraph(columns), columns.Select(c => c.Input), columns.Select(c => c.Output), intraOpThreads: 1)
            .Fit(input);
    }

    private protected abstract global::Onnx.ModelProto BuildGraph(IReadOnlyList<LayerColumn> columns);

    private protected sealed record LayerColumn(string Input, string Output, int Height, int Width, int Channels)
    {
        public long[] Dims => [Height, Width, Channels];
    }
}
