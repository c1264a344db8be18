using ScottPlot;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>How <see cref="BeltPlot"/> draws a feature-map belt. Immutable: set properties in an object initializer, or derive a variant with <c>with { ... }</c>.</summary>
public sealed record BeltPlotOptions
{
    /// <summary>The largest width or height accepted for the figure, in pixels.</summary>
    public const int MaxFigureSide = 16_384;

    internal static BeltPlotOptions Default { get; } = new();

    /// <summary>Text above the plot, normally the layer name; <see langword="null"/> or empty for none.</summary>
    public string? Title { get; init; }

    /// <summary>Maps 0..255 onto colours; matplotlib's default, viridis, unless set. See <see cref="Colormaps.FromName"/>.</summary>
    public IColormap Colormap
    {
        get;
        init
        {
            Guard.NotNull(value, nameof(Colormap));
            field = value;
        }
    } = new ScottPlot.Colormaps.Viridis();

    /// <summary>Figure width in pixels; <see langword="null"/> picks one from the belt's width (600 to 2400).</summary>
    public int? WidthPixels
    {
        get;
        init
        {
            if (value is { } width)
                Guard.InRange(width, 1, MaxFigureSide, nameof(WidthPixels));
            field = value;
        }
    }

    /// <summary>Figure height in pixels; <see langword="null"/> picks one that keeps the belt's aspect ratio, plus room for the title.</summary>
    public int? HeightPixels
    {
        get;
        init
        {
            if (value is { } height)
                Guard.InRange(height, 1, MaxFigureSide, nameof(HeightPixels));
            field = value;
        }
    }

    /// <summary>Whether a colour bar labelled 0..255 is drawn on the right.</summary>
    public bool ShowColorbar { get; init; }

    /// <summary>
    /// The figure of the feature-map tutorial this library follows: matplotlib <c>figsize=(20/k*k, 20/k)</c> inches at
    /// 100 dpi for a belt of <paramref name="channelCount"/> maps, so 2000 × 2000/k pixels, the belt stretched to fill
    /// it, titled with the layer name, no grid.
    /// </summary>
    /// <param name="title">The layer name.</param>
    /// <param name="channelCount">k, the number of maps in the belt.</param>
    public static BeltPlotOptions Tutorial(string title, int channelCount)
    {
        Guard.NotNull(title);
        Guard.Positive(channelCount);
        // Computed as matplotlib does: inches times dpi in double precision, truncated to whole pixels by the Agg
        // canvas. 20/k*k is not always exactly 20 (k = 77 gives a 1999-pixel-wide figure). Past k = 2000 matplotlib's
        // figure would be 0 pixels tall; one pixel is kept instead.
        var inches = 20.0 / channelCount;
        return new BeltPlotOptions
        {
            Title = title,
            WidthPixels = (int)(inches * channelCount * 100),
            HeightPixels = Math.Max(1, (int)(inches * 100)),
        };
    }
}
