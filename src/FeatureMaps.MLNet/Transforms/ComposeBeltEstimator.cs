using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Places the k channel images of each display column side by side: an H x (k*W) byte "belt",
/// exactly the tutorial's <c>image_belt[:, i*W:(i+1)*W] = channel_image</c>, or a grid of
/// <see cref="ComposeBeltOptions.ChannelsPerRow"/> tiles per row with optional spacing.
/// </summary>
/// <remarks>The fitted form runs a generated graph and is saved as ML.NET's ONNX transformer over it, so it persists in a zip.</remarks>
public sealed class ComposeBeltEstimator : PerLayerGraphEstimator
{
    internal ComposeBeltEstimator(TransformsCatalog catalog, ComposeBeltOptions options)
        : base(catalog, "ComposeBelt", options?.Columns, ColumnPrefixes.Display, ColumnPrefixes.Belt, NumberDataViewType.Byte,
            "display bytes of height x width x channels (a NormalizeForDisplay column)", options?.GraphPerLayer ?? false)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelsPerRow is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"ChannelsPerRow must be positive; got {options.ChannelsPerRow}.");
        if (options.MaxChannels is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"MaxChannels must be positive; got {options.MaxChannels}.");
        if (options.Spacing < 0) throw new ArgumentOutOfRangeException(nameof(options), $"Spacing must not be negative; got {options.Spacing}.");
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

    /// <summary>The raw activations a "most active" choice ranks by: <c>Layer.x</c> for <c>Display.x</c>; null when the first channels are shown.</summary>
    public string? ActivationsColumnOf(string displayColumn) =>
        Options.Choice == ChannelChoice.MostActive && Options.MaxChannels is not null
            ? ColumnPrefixes.Layer + (displayColumn.StartsWith(ColumnPrefixes.Display, StringComparison.Ordinal) ? displayColumn[ColumnPrefixes.Display.Length..] : displayColumn)
            : null;

    private protected override IEnumerable<string> ExtraInputs(string input) => ActivationsColumnOf(input) is { } activations ? [activations] : [];

    private protected override global::Onnx.ModelProto BuildGraph(IReadOnlyList<LayerColumn> columns) =>
        BeltGraphFactory.Build(columns.Select(c => new BeltColumn(c.Input, c.Output, c.Dims, GeometryFor(c.Height, c.Width, c.Channels), ActivationsColumnOf(c.Input))).ToList(),
            Options.Background);
}
