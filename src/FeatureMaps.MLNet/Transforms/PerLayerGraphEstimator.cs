using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// What <see cref="NormalizeForDisplayEstimator"/> and <see cref="ComposeBeltEstimator"/> share: they map
/// every H x W x C column of one prefix to a byte column of another prefix with a generated ONNX graph
/// (one run per row for all layers), saved as ML.NET's own ONNX transformer over it.
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
    private readonly bool _graphPerLayer;

    private protected PerLayerGraphEstimator(TransformsCatalog catalog, string name, IReadOnlyList<(string Input, string Output)>? columns,
        string inputPrefix, string outputPrefix, PrimitiveDataViewType inputItem, string expected, bool graphPerLayer)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        (_catalog, _name, _columns, _inputPrefix, _outputPrefix, _inputItem, _expected, _graphPerLayer) =
            (catalog, name, columns, inputPrefix, outputPrefix, inputItem, expected, graphPerLayer);
    }

    /// <summary>
    /// Further columns a layer's graph reads besides its input (ComposeBelt's "most active" choice reads the raw
    /// activations); none by default.
    /// </summary>
    private protected virtual IEnumerable<string> ExtraInputs(string input) => [];

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var pairs = ColumnSelection.Resolve(inputSchema, _columns, _inputPrefix, _outputPrefix, _name);
        foreach (var (input, _) in pairs)
        {
            SchemaShapes.Require(inputSchema, input, _name, _expected, c => c.IsKnownSizeVectorOf(_inputItem));
            foreach (var extra in ExtraInputs(input))
                SchemaShapes.Require(inputSchema, extra, _name, "the layer's float activations (an ExtractLayerOutputs column)",
                    c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
        }
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
            foreach (var extra in ExtraInputs(p.Input))
                if (!SchemaShapes.Dimensions(input.Schema, extra, _name, "the layer's float activations").SequenceEqual(dims))
                    throw new ArgumentOutOfRangeException(nameof(input), $"{_name}: column '{extra}' has another shape than '{p.Input}' ([{string.Join(", ", dims)}]).");
            return new LayerColumn(p.Input, p.Output, dims[0], dims[1], dims[2]);
        }).ToList();
        // A graph per layer makes reading one layer's output run nothing for the others (a graph reads all its
        // inputs as soon as one of its outputs is read, as ML.NET's ONNX transformer does too): what a memory-bounded read needs.
        var graphs = _graphPerLayer && columns.Count > 0 ? columns.Select(c => (IReadOnlyList<LayerColumn>)[c]).ToList() : [columns];
        IEstimator<ITransformer>? chain = null;
        foreach (var graph in graphs)
        {
            // These graphs are a few elementwise passes: one ONNX Runtime thread each, so their pools do not
            // compete for the cores with the model's own session and with ML.NET's row threads.
            var run = GeneratedGraphFile.Apply(_catalog, BuildGraph(graph), graph.SelectMany(c => ExtraInputs(c.Input).Prepend(c.Input)),
                graph.Select(c => c.Output), intraOpThreads: 1);
            chain = chain is null ? run : chain.Append(run);
        }
        return chain!.Fit(input);
    }

    private protected abstract global::Onnx.ModelProto BuildGraph(IReadOnlyList<LayerColumn> columns);

    private protected sealed record LayerColumn(string Input, string Output, int Height, int Width, int Channels)
    {
        public long[] Dims => [Height, Width, Channels];
    }
}
