namespace FeatureMaps.MLNet.Transforms;

/// <summary>Which channels a belt shows when <see cref="ComposeBeltOptions.MaxChannels"/> caps a wide layer.</summary>
public enum ChannelChoice
{
    /// <summary>The first n channels, in channel order.</summary>
    First,

    /// <summary>
    /// The n channels with the largest mean raw activation over the map (the layer's <c>Layer.*</c> column, before
    /// normalization), most active first. After a ReLU the mean says how much a channel fires on this image, so dead
    /// channels come last. A channel whose mean is NaN ranks last; ties keep ONNX Runtime's TopK order.
    /// </summary>
    MostActive,
}
