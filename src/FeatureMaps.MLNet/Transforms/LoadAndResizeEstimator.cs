using FeatureMaps.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Reads image files named in a text column and writes their pixels, resized, as a float
/// height x width x channels column (RGB order, values 0..255) plus an error column.
/// JPEG, PNG, BMP, GIF (first frame) and WebP decode; EXIF orientation is applied; grey, palette,
/// 16-bit and RGBA images are converted to the requested channel count. A file that cannot be read
/// gives black pixels and a message in the error column, so one bad file never ends a pass.
/// </summary>
/// <remarks>
/// The fitted form is ML.NET's custom mapping with generated row types (see the remarks of the
/// persistence layer): ML.NET saves it in a zip, and <see cref="FeatureMapsModel.RegisterFeatureMaps(MLContext, string)"/>
/// makes it loadable again in any process.
/// </remarks>
public sealed class LoadAndResizeEstimator : IEstimator<ITransformer>
{
    private const string Name = "LoadAndResize";
    private readonly IEstimator<ITransformer> _mapping;

    internal LoadAndResizeEstimator(TransformsCatalog catalog, LoadAndResizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.InputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputColumnName);
        if (options.Width <= 0 || options.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"{Name}: width and height must be positive; got {options.Width}x{options.Height}.");
        if (options.Channels is not (1 or 3 or 4))
            throw new ArgumentOutOfRangeException(nameof(options), $"{Name}: channels must be 1, 3 or 4; got {options.Channels}.");
        Options = options;
        Contract = new ImageMappingContract(options.InputColumnName, options.OutputColumnName,
            options.ErrorColumnName ?? options.OutputColumnName + "Error", options.Width, options.Height, options.Channels,
            options.Mode, options.ImageFolder, options.MaxPixels);
        _mapping = ImageMappingTypes.CreateEstimator(catalog, Contract);
    }

    /// <summary>The options this estimator was made with.</summary>
    public LoadAndResizeOptions Options { get; }

    /// <summary>The name of the column that reports load errors.</summary>
    public string ErrorColumnName => Contract.ErrorColumn;

    internal ImageMappingContract Contract { get; }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.Require(inputSchema, Options.InputColumnName, Name, "a text column of image file paths",
            c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType);
        return _mapping.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema.GetColumnOrNull(Options.InputColumnName) is not { } column)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"{Name}: input column '{Options.InputColumnName}' not found; expected a text column of image file paths. Available columns: {string.Join(", ", input.Schema.Select(c => $"'{c.Name}'"))}.");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(input),
                $"{Name}: input column '{Options.InputColumnName}' is {column.Type}; expected a text column of image file paths.");
        return _mapping.Fit(input);
    }
}
