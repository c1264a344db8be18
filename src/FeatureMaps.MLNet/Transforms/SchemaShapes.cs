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
    /// The shape after adding known-size vector columns of <typeparamref name="T"/>. ML.NET keeps the
    /// constructors of <c>SchemaShape.Column</c> internal, so the promise is made by the public
    /// custom-mapping estimator over a row type whose column is renamed by a schema definition.
    /// </summary>
    public static SchemaShape AddVectors<T>(TransformsCatalog catalog, SchemaShape input, IEnumerable<string> columns)
    {
        var shape = input;
        foreach (var column in columns)
        {
            var definition = SchemaDefinition.Create(typeof(VectorRow<T>));
            definition[0].ColumnName = column;
            shape = catalog.CustomMapping<NoColumns, VectorRow<T>>((_, _) => { }, contractName: null, outputSchemaDefinition: definition).GetOutputSchema(shape);
        }
        return shape;
    }

    private sealed class NoColumns;

    private sealed class VectorRow<T>
    {
        [VectorType(1)]
        public T[] Values { get; set; } = [];
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
