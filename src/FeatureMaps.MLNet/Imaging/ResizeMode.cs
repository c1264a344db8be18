namespace FeatureMaps.MLNet.Imaging;

/// <summary>How an image whose aspect ratio differs from the network input is fitted to it.</summary>
public enum ResizeMode
{
    /// <summary>Scales each axis independently to the target size, ignoring the aspect ratio (what Keras' <c>target_size</c> does).</summary>
    Stretch,

    /// <summary>Fits the whole image inside the target keeping its aspect ratio, centred, with black bars filling the rest.</summary>
    Pad,

    /// <summary>Fills the whole target keeping the aspect ratio and cuts away what overhangs, keeping the centre.</summary>
    CropCenter,
}
