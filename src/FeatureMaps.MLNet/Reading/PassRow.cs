using Microsoft.ML;

namespace FeatureMaps.MLNet.Reading;

/// <summary>One pass of <see cref="FeatureMapReader"/> over the current image: the row holding that pass's columns.</summary>
/// <param name="Pass">The layers this pass fetches.</param>
/// <param name="Row">Its columns (and the image row's); valid until the next pass is requested, which disposes it.</param>
/// <param name="Columns">The columns active in <paramref name="Row"/>: the pass's per-layer columns; in the last pass also the model outputs and the other columns computed after the layers.</param>
public sealed record PassRow(ActivationPass Pass, DataViewRow Row, IReadOnlyList<DataViewSchema.Column> Columns);
