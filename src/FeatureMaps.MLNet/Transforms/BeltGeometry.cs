namespace FeatureMaps.MLNet.Transforms;

/// <summary>Where each channel tile lands in a belt: tile i sits at row i / Columns, column i % Columns.</summary>
/// <param name="TileHeight">Height of one channel map.</param>
/// <param name="TileWidth">Width of one channel map.</param>
/// <param name="Channels">Channels shown (after any cap).</param>
/// <param name="Columns">Tiles per row.</param>
/// <param name="Spacing">Pixels between tiles.</param>
public sealed record BeltGeometry(int TileHeight, int TileWidth, int Channels, int Columns, int Spacing)
{
    /// <summary>Rows of tiles.</summary>
    public int Rows => (Channels + Columns - 1) / Columns;

    /// <summary>Belt height in pixels.</summary>
    public int Height => Rows * (TileHeight + Spacing) - Spacing;

    /// <summary>Belt width in pixels.</summary>
    public int Width => Columns * (TileWidth + Spacing) - Spacing;
}
