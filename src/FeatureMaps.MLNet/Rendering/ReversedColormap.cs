using ScottPlot;

namespace FeatureMaps.MLNet.Rendering;

/// <summary>A colormap read backwards, matplotlib's <c>_r</c> suffix: position 0 takes the colour the original shows at 1.</summary>
internal sealed class ReversedColormap(IColormap original) : IColormap
{
    public string Name { get; } = original.Name + " (reversed)";

    public Color GetColor(double position) => original.GetColor(1 - position);
}
