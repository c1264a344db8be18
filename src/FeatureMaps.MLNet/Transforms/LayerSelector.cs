using System.Text.RegularExpressions;
using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Resolves layer selections against a model: a layer or tensor name, a glob (<c>conv2d*</c>), an op type
/// (<c>op:Conv</c>), an index range into the layer listing (<c>#0-5</c>), or <c>all</c> (every displayable
/// 4-D layer, the default). A name that matches nothing is an error listing the closest names.
/// </summary>
public static class LayerSelector
{
    /// <summary>Resolves <paramref name="selections"/> (null or empty = every 4-D layer) in model order without duplicates.</summary>
    public static IReadOnlyList<LayerTensor> Select(OnnxModelDescription model, IReadOnlyList<string>? selections)
    {
        if (selections is null || selections.Count == 0)
            return EnsureAny(model, model.FeatureMapLayers);
        var layers = model.Layers;
        var chosen = new List<LayerTensor>();
        foreach (var selection in selections)
            chosen.AddRange(Resolve(model, layers, selection.Trim()));
        return EnsureAny(model, chosen.Distinct().OrderBy(t => t.Index).ThenBy(t => t.Tensor, StringComparer.Ordinal).ToList());
    }

    private static IReadOnlyList<LayerTensor> EnsureAny(OnnxModelDescription model, IReadOnlyList<LayerTensor> chosen) => chosen.Count > 0
        ? chosen
        : throw new OnnxModelException(model.ModelPath,
            $"ONNX model '{model.ModelPath}' has no displayable 4-D layer outputs to show (it has {model.Tensors.Count} computed tensors, none of them float feature maps).");

    private static IEnumerable<LayerTensor> Resolve(OnnxModelDescription model, IReadOnlyList<LayerTensor> layers, string selection)
    {
        if (selection.Equals("all", StringComparison.OrdinalIgnoreCase))
            return model.FeatureMapLayers;
        if (selection.StartsWith("op:", StringComparison.OrdinalIgnoreCase))
        {
            var op = selection[3..];
            var byOp = layers.Where(t => t.OpType.Equals(op, StringComparison.OrdinalIgnoreCase) && t.SkipReason is null).ToList();
            return byOp.Count > 0 ? byOp : throw Unknown(model, selection, layers.Select(t => "op:" + t.OpType).Distinct());
        }
        var range = Regex.Match(selection, @"^#(\d+)(?:-(\d+))?$");
        if (range.Success)
        {
            var from = int.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var to = range.Groups[2].Success ? int.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : from;
            if (from > to || to >= layers.Count)
                throw new ArgumentException($"Layer range '{selection}' is outside the model's {layers.Count} layers (#0-{layers.Count - 1}) in '{model.ModelPath}'.");
            return layers.Skip(from).Take(to - from + 1);
        }
        if (selection.Contains('*') || selection.Contains('?'))
        {
            var pattern = new Regex("^" + Regex.Escape(selection).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
            var globbed = layers.Where(l => pattern.IsMatch(l.Layer) || pattern.IsMatch(l.Tensor)).ToList();
            return globbed.Count > 0 ? globbed : throw Unknown(model, selection, layers.Select(l => l.Layer));
        }
        var exact = layers.Where(l => l.Layer == selection || l.Tensor == selection).ToList();
        if (exact.Count == 0)
            exact = model.Tensors.Where(t => t.Tensor == selection).ToList();
        return exact.Count > 0 ? exact : throw Unknown(model, selection, model.Tensors.Select(l => l.Layer).Concat(model.Tensors.Select(t => t.Tensor)));
    }

    private static ArgumentException Unknown(OnnxModelDescription model, string selection, IEnumerable<string> candidates)
    {
        var closest = candidates.Distinct()
            .OrderBy(c => EditDistance(selection.ToLowerInvariant(), c.ToLowerInvariant()))
            .Take(5)
            .Select(c => $"'{c}'");
        return new ArgumentException($"No layer '{selection}' in '{model.ModelPath}'. Closest existing names: {string.Join(", ", closest)}. Run `featuremaps layers` to list them all.");
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
