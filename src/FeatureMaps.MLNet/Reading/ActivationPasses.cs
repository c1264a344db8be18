namespace FeatureMaps.MLNet.Reading;

/// <summary>
/// Splits the selected layers into passes whose float32 activations fit a byte budget. The extractor
/// (<c>ExtractLayerOutputsOptions.MaxActivationBytes</c>) and the reader (<see cref="FeatureMapReader"/>) both plan
/// with this one function, so given the same budget and layers they agree on the passes.
/// </summary>
public static class ActivationPasses
{
    /// <summary>
    /// Greedy in model order: a pass takes the next layers while their bytes stay within
    /// <paramref name="maxBytes"/>; neighbouring layers share passes, so a pass reaches only as deep into the network
    /// as its last layer. A layer larger than the budget gets a pass of its own, marked
    /// <see cref="ActivationPass.ExceedsBudget"/>. Null budget = one pass with every layer.
    /// </summary>
    /// <param name="layers">Layer names with their float32 activation bytes, in model order.</param>
    /// <param name="maxBytes">The most activation bytes one pass may fetch; null = no limit.</param>
    public static IReadOnlyList<ActivationPass> Plan(IReadOnlyList<(string Layer, long Bytes)> layers, long? maxBytes)
    {
        Guard.NotNull(layers);
        if (maxBytes is { } limit)
            Guard.Positive(limit, nameof(maxBytes));
        if (maxBytes is null || layers.Count == 0)
            return [new ActivationPass(layers.Select(l => l.Layer).ToList(), layers.Sum(l => l.Bytes), false)];
        var passes = new List<ActivationPass>();
        var current = new List<string>();
        long bytes = 0;
        foreach (var (layer, size) in layers)
        {
            if (current.Count > 0 && bytes + size > maxBytes)
            {
                passes.Add(new ActivationPass(current, bytes, false));
                (current, bytes) = ([], 0);
            }
            current.Add(layer);
            bytes += size;
            if (size > maxBytes)
            {
                passes.Add(new ActivationPass(current, bytes, true));
                (current, bytes) = ([], 0);
            }
        }
        if (current.Count > 0)
            passes.Add(new ActivationPass(current, bytes, false));
        return passes;
    }

    /// <summary>The warning for each pass that holds a layer larger than the budget; empty when everything fits.</summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<ActivationPass> passes, long? maxBytes) =>
        passes.Where(p => p.ExceedsBudget)
            .Select(p => $"layer '{p.Layers[0]}' holds {Megabytes(p.Bytes)} of activations, more than the budget of {Megabytes(maxBytes ?? 0)}: it runs alone in its own pass and exceeds the budget")
            .ToList();

    /// <summary>Bytes as MB with two decimals, for messages.</summary>
    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " MB";
}
