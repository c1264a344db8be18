namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// The column names the estimators use by default, so that each one finds its predecessor's columns
/// without being told: <c>Layer.conv2d</c> (activations) -> <c>Display.conv2d</c> (bytes) -> <c>Belt.conv2d</c>.
/// </summary>
public static class ColumnPrefixes
{
    /// <summary>Feature maps from <c>ExtractLayerOutputs</c>: float H x W x C.</summary>
    public const string Layer = "Layer.";
    /// <summary>The model's own outputs from <c>ExtractLayerOutputs</c> (e.g. class probabilities).</summary>
    public const string Output = "Output.";
    /// <summary>Display bytes from <c>NormalizeForDisplay</c>: byte H x W x C.</summary>
    public const string Display = "Display.";
    /// <summary>Belts from <c>ComposeBelt</c>: byte height x width.</summary>
    public const string Belt = "Belt.";

    /// <summary>
    /// The column for <paramref name="name"/> under <paramref name="prefix"/>. ML.NET's ONNX transformer
    /// cuts a trailing ".output" off output names (its own exported models carry that suffix), so a
    /// layer named <c>output</c> becomes the column <c>Layer.output_</c>.
    /// </summary>
    public static string Column(string prefix, string name)
    {
        var column = prefix + name;
        return column.EndsWith(".output", StringComparison.Ordinal) ? column + "_" : column;
    }
}
