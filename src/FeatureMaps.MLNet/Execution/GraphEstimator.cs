using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Execution;

/// <summary>
/// Fits a generated graph file into a <see cref="GraphTransformer"/>, once: the transformer owns the file and removes it
/// when disposed.
/// </summary>
internal sealed class GraphEstimator(TransformsCatalog catalog, string graphPath, IReadOnlyList<string> inputs,
    IReadOnlyList<(string Name, TensorElementKind Kind)> outputs, SessionSettings settings) : IEstimator<ITransformer>
{
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new GraphTransformer(catalog, graphPath, inputs, outputs.Select(o => o.Name).ToList(), settings, input.Schema);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var shape = inputSchema;
        foreach (var group in outputs.GroupBy(o => o.Kind))
        {
            var names = group.Select(o => o.Name);
            shape = group.Key switch
            {
                TensorElementKind.Float => SchemaShapes.AddVectors<float>(catalog, shape, names),
                TensorElementKind.UInt8 => SchemaShapes.AddVectors<byte>(catalog, shape, names),
                TensorElementKind.Int64 => SchemaShapes.AddVectors<long>(catalog, shape, names),
                TensorElementKind.Int32 => SchemaShapes.AddVectors<int>(catalog, shape, names),
                TensorElementKind.Double => SchemaShapes.AddVectors<double>(catalog, shape, names),
                _ => throw new NotSupportedException($"Graph outputs of {group.Key} ('{string.Join("', '", names)}') are not columns this library makes."),
            };
        }
        return shape;
    }
}
