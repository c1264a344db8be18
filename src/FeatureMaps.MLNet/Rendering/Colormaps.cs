using ScottPlot;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>Looks up ScottPlot colormaps by their matplotlib names, so command lines and configs can name them as text.</summary>
public static class Colormaps
{
    private const string ReversedSuffix = "_r";

    // Names follow matplotlib: "gray" runs black to white, "Greys" white to black ("grays" is taken as Greys too).
    private static readonly Dictionary<string, Func<IColormap>> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["viridis"] = () => new ScottPlot.Colormaps.Viridis(),
        ["magma"] = () => new ScottPlot.Colormaps.Magma(),
        ["inferno"] = () => new ScottPlot.Colormaps.Inferno(),
        ["plasma"] = () => new ScottPlot.Colormaps.Plasma(),
        ["turbo"] = () => new ScottPlot.Colormaps.Turbo(),
        ["jet"] = () => new ScottPlot.Colormaps.Jet(),
        ["gray"] = () => new ScottPlot.Colormaps.Grayscale(),
        ["grey"] = () => new ScottPlot.Colormaps.Grayscale(),
        ["greys"] = () => new ScottPlot.Colormaps.GrayscaleReversed(),
        ["grays"] = () => new ScottPlot.Colormaps.GrayscaleReversed(),
    };

    /// <summary>
    /// Returns the colormap called <paramref name="name"/> (case-insensitive): viridis, magma, inferno, plasma, turbo, jet,
    /// gray/grey (black to white) or greys/grays (white to black); append <c>_r</c> to any name to reverse it, as in matplotlib.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of those; the message lists the valid names.</exception>
    public static IColormap FromName(string name)
    {
        Guard.NotNullOrEmpty(name);
        if (Known.TryGetValue(name, out var create))
            return create();
        if (name.EndsWith(ReversedSuffix, StringComparison.OrdinalIgnoreCase)
            && Known.TryGetValue(name[..^ReversedSuffix.Length], out create))
            return new ReversedColormap(create());
        throw new ArgumentException(
            $"Unknown colormap '{name}'; valid names are {string.Join(", ", Known.Keys)}, each optionally followed by '{ReversedSuffix}' to reverse it.",
            nameof(name));
    }
}
