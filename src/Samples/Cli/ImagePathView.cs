using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.Samples.Cli;

/// <summary>Image paths as the one-text-column view a pipeline reads, under whatever name its path column has.</summary>
internal static class ImagePathView
{
    /// <summary>A lazy view: nothing is enumerated until a cursor moves.</summary>
    public static IDataView Create(MLContext ml, IEnumerable<string> paths, string column)
    {
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = column;
        return ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p }), definition);
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
