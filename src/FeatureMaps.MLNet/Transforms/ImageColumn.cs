using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// The image column a model-running estimator reads: what it must hold for the model's image input, said the same way
/// by every estimator that checks it.
/// </summary>
/// <param name="Column">The column's name.</param>
/// <param name="Transform">The estimator, for messages.</param>
/// <param name="Input">The model input the pixels feed.</param>
/// <param name="ModelPath">The file of that input's model, for messages.</param>
internal sealed record ImageColumn(string Column, string Transform, ModelInput Input, string ModelPath)
{
    /// <summary>What the column must hold, for error messages.</summary>
    public string Expected
    {
        get
        {
            var (h, w, c) = Input.ImageGeometry;
            return $"a float vector of {h}x{w}x{c} pixels (height x width x channels, values 0..255) for model input '{Input.Name}' of '{ModelPath}'";
        }
    }

    /// <summary>The column's height, width and channels in <paramref name="schema"/>, or an error naming it and <see cref="Expected"/>.</summary>
    public (int H, int W, int C) Dimensions(DataViewSchema schema)
    {
        var dims = SchemaShapes.Dimensions(schema, Column, Transform, Expected);
        var (h, w, c) = Input.ImageGeometry;
        static bool Fits(TensorDimension d, int value) => !d.IsFixed || d.Size == value;
        if (dims.Length != 3 || !Fits(h, dims[0]) || !Fits(w, dims[1]) || !Fits(c, dims[2]))
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"{Transform}: input column '{Column}' holds {string.Join("x", dims)} values; expected {Expected}.");
        return (dims[0], dims[1], dims[2]);
    }
}
