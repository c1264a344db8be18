using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Input/output column pairs for transforms that work on every layer at once: given explicitly, or found
/// by prefix (<c>Layer.conv2d</c> -> <c>Display.conv2d</c>).
/// </summary>
internal static class ColumnSelection
{
    public static IReadOnlyList<(string Input, string Output)> Resolve(
        IEnumerable<string> available, IReadOnlyList<(string Input, string Output)>? explicitPairs,
        string inputPrefix, string outputPrefix, string transform)
    {
        if (explicitPairs is { Count: > 0 }) return explicitPairs;
        var names = available.ToList();
        var pairs = names.Where(n => n.StartsWith(inputPrefix, StringComparison.Ordinal))
            .Select(n => (n, outputPrefix + n[inputPrefix.Length..])).ToList();
        return pairs.Count > 0
            ? pairs
            : throw new ArgumentOutOfRangeException(nameof(available),
                $"{transform}: no input columns named '{inputPrefix}*' found; expected the columns of the previous step. Available columns: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
    }

    public static IReadOnlyList<(string Input, string Output)> Resolve(
        SchemaShape schema, IReadOnlyList<(string Input, string Output)>? explicitPairs, string inputPrefix, string outputPrefix, string transform)
        => Resolve(schema.Select(c => c.Name), explicitPairs, inputPrefix, outputPrefix, transform);

    public static IReadOnlyList<(string Input, string Output)> Resolve(
        DataViewSchema schema, IReadOnlyList<(string Input, string Output)>? explicitPairs, string inputPrefix, string outputPrefix, string transform)
        => Resolve(schema.Where(c => !c.IsHidden).Select(c => c.Name), explicitPairs, inputPrefix, outputPrefix, transform);
}
