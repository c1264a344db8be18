using ScottPlot;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>How <see cref="CamOverlay"/> colours a class activation map and blends it over the photo.</summary>
public sealed record CamOverlayOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>The colormap's matplotlib name: jet, as pytorch-grad-cam's overlays.</summary>
        public const string Colormap = "jet";
        /// <summary>The map's weight in the blend; the photo gets the rest.</summary>
        public const double Alpha = 0.5;
    }

    /// <summary>The defaults: jet at half strength.</summary>
    public static CamOverlayOptions Default { get; } = new();

    /// <summary>Colours map values 0 (no evidence) .. 1 (strongest).</summary>
    public IColormap Colormap { get; init; } = Colormaps.FromName(Defaults.Colormap);

    /// <summary>The map's weight, 0..1: pixel = (1 - Alpha) * photo + Alpha * colour.</summary>
    public double Alpha { get; init; } = Defaults.Alpha;
}
