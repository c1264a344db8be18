using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Turns float feature maps (H x W x C) into display bytes of the same shape, by default with the
/// tutorial's <c>x -= mean; x /= std; x *= 64; x += 128; clip(0, 255); astype('uint8')</c> per channel.
/// A constant channel (std = 0) becomes all 128; NaN and infinities never throw (see <see cref="NormalizationMode"/>).
/// </summary>
/// <remarks>The fitted form runs a generated graph and is saved as ML.NET's ONNX transformer over it, so it persists in a zip.</remarks>
public sealed class NormalizeForDisplayEstimator : PerLayerGraphEstimator
{
    internal NormalizeForDisplayEstimator(TransformsCatalog catalog, NormalizeForDisplayOptions options)
        : base(catalog, "NormalizeForDisplay", options?.Columns, ColumnPrefixes.Layer, ColumnPrefixes.Display, NumberDataViewType.Single,
            "float feature maps of height x width x channels (an ExtractLayerOutputs column)", options?.GraphPerLayer ?? false)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == NormalizationMode.Percentile && !(options.LowPercentile >= 0 && options.LowPercentile < options.HighPercentile && options.HighPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(options), $"Percentiles must satisfy 0 <= low < high <= 100; got {options.LowPercentile} and {options.HighPercentile}.");
        // A non-finite scale or offset would make undefined bytes (NaN cast to uint8), not a picture.
        Guard.IsTrue(float.IsFinite(options.Scale) && float.IsFinite(options.Offset), options,
            $"Scale and offset must be finite numbers; got {options.Scale} and {options.Offset}.");
        Options = options;
    }

    /// <summary>The options this estimator was made with.</summary>
    public NormalizeForDisplayOptions Options { get; }

    private protected override global::Onnx.ModelProto BuildGraph(IReadOnlyList<LayerColumn> columns) =>
        NormalizationGraphFactory.Build(columns.Select(c => (c.Input, c.Output, c.Dims)).ToList(),
            Options.Mode, Options.Scope, Options.Scale, Options.Offset, Options.LowPercentile, Options.HighPercentile);
}
