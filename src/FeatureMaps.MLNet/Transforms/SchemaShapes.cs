using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>Column checks shared by the estimators, with errors that name the column and what was expected.</summary>
internal static class SchemaShapes
{
    public static SchemaShape.Column Require(SchemaShape input, string column, string transform, string expected, Func<SchemaShape.Column, bool> accepts)
    {
        var index = input.ToList().FindIndex(c => c.Name == column);
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"{transform}: input column '{column}' not found; expected {expected}. Available columns: {string.Join(", ", input.Select(c => $"'{c.Name}'"))}.");
        var found = input[index];
        if (!accepts(found))
            throw new ArgumentOutOfRangeException(nameof(input),
                $"{transform}: input column '{column}' is {Describe(found)}; expected {expected}.");
        return found;
    }

    public static bool IsKnownSizeVectorOf(this SchemaShape.Column column, DataViewType item) =>
        column.Kind == SchemaShape.Column.VectorKind.Vector && column.ItemType.Equals(item);

    public static string Describe(SchemaShape.Column column) => column.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => $"a scalar of {column.ItemType}",
        SchemaShape.Column.VectorKind.Vector => $"a vector of {column.ItemType}",
        _ => $"a variable-length vector of {column.ItemType}",
    };

    /// <summary>
    /// The shape after adding columns of the same kind as existing ones. ML.NET keeps the constructors
    /// of <c>SchemaShape.Column</c> internal, so the promise is made by the public column-copy and
    /// type-conversion estimators, which produce exactly the kind (known-size vector) and item type promised.
    /// </summary>
    public static SchemaShape AddLike(TransformsCatalog catalog, SchemaShape input, IEnumerable<(string Output, string LikeInput)> columns, DataKind? asItem = null)
    {
        var shape = input;
        foreach (var (output, like) in columns)
            shape = asItem is { } kind
                ? catalog.Conversion.ConvertType(output, like, kind).GetOutputSchema(shape)
                : catalog.CopyColumns(output, like).GetOutputSchema(shape);
        return shape;
    }

    /// <summary>The dimensions of a known-size vector column in a real schema, or an error naming the column.</summary>
    public static int[] Dimensions(DataViewSchema schema, string column, string transform, string expected)
    {
        var col = schema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"{transform}: input column '{column}' not found; expected {expected}.");
        if (col.Type is not VectorDataViewType { IsKnownSize: true } vector)
            throw new ArgumentOutOfRangeException(nameof(schema), $"{transform}: input column '{column}' is {col.Type}; expected {expected}.");
        return vector.Dimensions.ToArray();
    }
}
