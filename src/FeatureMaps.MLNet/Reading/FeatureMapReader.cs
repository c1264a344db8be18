using FeatureMaps.MLNet.Execution;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Reading;

/// <summary>
/// Reads a fitted feature-map pipeline one image at a time, and each image in passes of layers whose activations fit a
/// byte budget, so memory stays flat over any number of images and bounded for any model.
/// </summary>
/// <remarks>
/// <para>
/// Why not <c>model.Transform(data).GetRowCursor</c>: for vector columns ML.NET's default cursor splits the rows over
/// worker threads and reads ahead in batches, holding many rows of feature maps at once (gigabytes for large maps). This
/// reader maps exactly one row at a time with <see cref="ITransformer.GetRowToRowMapper"/>.
/// </para>
/// <para>
/// Why passes: an ML.NET row keeps every column it computed alive until the cursor moves, so all layers of one image
/// coexist. Here the pipeline is split after its image loading: the image row (<see cref="Row"/>: the input columns and
/// what is computed before the layers, such as <c>Image</c> and <c>ImageError</c>) is computed once per image, and
/// <see cref="ReadPasses"/> maps it again for each <see cref="ActivationPass"/>, activating only that pass's
/// <c>Layer.*</c>, <c>Display.*</c> and <c>Belt.*</c> columns (the <c>Output.*</c> columns, and any other column computed after the layers, come with the last pass).
/// Each pass row is disposed before the next is made, which frees its ONNX Runtime outputs.
/// </para>
/// <para>
/// The budget only holds when the pipeline computes the passes separately: fit <c>ExtractLayerOutputs</c> with the same
/// <see cref="ExtractLayerOutputsOptions.MaxActivationBytes"/> (its passes then match these, see
/// <see cref="ActivationPasses.Plan"/>) and <c>NormalizeForDisplay</c>/<c>ComposeBelt</c> with <c>GraphPerLayer</c>,
/// and turn off ONNX Runtime's CPU arena (<c>mlContext.SetOnnxSessionOption(new OnnxSessionOptions { EnableCpuMemArena = false })</c>
/// before fitting or loading), which otherwise keeps every session's largest allocation. With another pipeline the
/// results are the same, only the memory is not bounded.
/// </para>
/// </remarks>
public sealed class FeatureMapReader : IDisposable
{
    private static readonly string[] LayerPrefixes = [ColumnPrefixes.Layer, ColumnPrefixes.Display, ColumnPrefixes.Belt];
    private readonly DataViewRowCursor _source;
    private readonly DataViewRow _imageRow;
    private readonly BorrowedRow _lentImageRow;
    private readonly IRowToRowMapper _layers;
    private readonly List<GraphTransformer> _graphSteps;
    private readonly IReadOnlyList<IReadOnlyList<DataViewSchema.Column>> _passColumns;
    private long _position = -1;

    /// <param name="model">A fitted pipeline (any row-to-row transformer; usually LoadAndResize -> ExtractLayerOutputs -> NormalizeForDisplay -> ComposeBelt).</param>
    /// <param name="input">The rows to read (e.g. image paths).</param>
    /// <param name="maxActivationBytes">The most float32 activation bytes one pass may fetch; null = one pass with every layer.</param>
    public FeatureMapReader(ITransformer model, IDataView input, long? maxActivationBytes = null)
    {
        Guard.NotNull(model);
        Guard.NotNull(input);
        if (maxActivationBytes is { } budget)
            Guard.Positive(budget, nameof(maxActivationBytes));
        Guard.IsTrue(model.IsRowToRowMapper, model, "The model must map rows one to one (every FeatureMaps estimator does).");
        var (before, after) = SplitAtLayers(model, input.Schema);
        _source = input.GetRowCursor(input.Schema);
        if (before.Length == 0)
            _imageRow = _source;
        else
        {
            var images = ((ITransformer)new TransformerChain<ITransformer>(before)).GetRowToRowMapper(input.Schema);
            _imageRow = images.GetRow(_source, images.OutputSchema);
        }
        _lentImageRow = new BorrowedRow(_imageRow);
        _layers = ((ITransformer)new TransformerChain<ITransformer>(after)).GetRowToRowMapper(_imageRow.Schema);
        _graphSteps = after.SelectMany(Flatten).OfType<GraphTransformer>().ToList();
        Schema = _layers.OutputSchema;

        var layers = LayerSizes(Schema);
        Passes = ActivationPasses.Plan(layers, maxActivationBytes);
        Warnings = ActivationPasses.Warnings(Passes, maxActivationBytes);
        // The model's outputs and whatever is computed from the layers without being per-layer (a class activation
        // map, say) come with the last pass.
        var outputs = Schema.Where(c => !c.IsHidden && !IsPerLayer(c.Name) && _imageRow.Schema.GetColumnOrNull(c.Name) is null).ToList();
        _passColumns = Passes.Select((pass, i) => (IReadOnlyList<DataViewSchema.Column>)pass.Layers
            .SelectMany(layer => LayerPrefixes.Select(prefix => Schema.GetColumnOrNull(prefix + layer)).OfType<DataViewSchema.Column>())
            .Concat(i == Passes.Count - 1 ? outputs : [])
            .ToList()).ToList();
    }

    /// <summary>Every column the pipeline produces (the image row's and the passes').</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The passes each image is read in, planned from the <c>Layer.*</c> column sizes.</summary>
    public IReadOnlyList<ActivationPass> Passes { get; }

    /// <summary>One line per layer that alone exceeds the budget (it is still read, in a pass of its own).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The current image's row: the input columns and the columns computed before the layers.</summary>
    public DataViewRow Row => _imageRow;

    /// <summary>Moves to the next image; false after the last.</summary>
    public bool MoveNext()
    {
        if (!_source.MoveNext())
            return false;
        _position++;
        return true;
    }

    /// <summary>
    /// The current image's passes, in model order. Each row is disposed when the next is requested (or the enumeration
    /// ends), so copy what you need before moving on.
    /// </summary>
    public IEnumerable<PassRow> ReadPasses()
    {
        if (_position < 0)
            throw new InvalidOperationException("Call MoveNext before ReadPasses.");
        var position = _position;
        for (var i = 0; i < Passes.Count; i++)
        {
            if (_position != position)
                throw new InvalidOperationException("The reader moved to another image while its passes were being read.");
            using (var row = _layers.GetRow(_lentImageRow, _passColumns[i]))
                yield return new PassRow(Passes[i], row, _passColumns[i]);
            // Between passes no step may keep the last pass's tensors for later rows: only one pass is held at a time.
            if (Passes.Count > 1)
                foreach (var step in _graphSteps) step.ReleaseIdleBuffers();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ReferenceEquals(_imageRow, _source))
            _imageRow.Dispose();
        _source.Dispose();
    }

    /// <summary>
    /// The transformers that compute no per-layer column (image loading) and the rest. Nested chains are flattened;
    /// a transformer that adds a <c>Layer.</c>/<c>Display.</c>/<c>Belt.</c>/<c>Output.</c> column starts the rest.
    /// </summary>
    private static (ITransformer[] Before, ITransformer[] After) SplitAtLayers(ITransformer model, DataViewSchema input)
    {
        var all = Flatten(model).ToArray();
        var schema = input;
        for (var i = 0; i < all.Length; i++)
        {
            var output = all[i].GetOutputSchema(schema);
            if (output.Skip(schema.Count).Any(c => IsPerLayer(c.Name) || c.Name.StartsWith(ColumnPrefixes.Output, StringComparison.Ordinal)))
                return (all[..i], all[i..]);
            schema = output;
        }
        return (all, []);
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private static bool IsPerLayer(string column) => LayerPrefixes.Any(p => column.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Each layer once, in column order, sized as float32 activations (the <c>Layer.*</c> column, or its display/belt column when absent).</summary>
    private static List<(string Layer, long Bytes)> LayerSizes(DataViewSchema schema)
    {
        var sizes = new List<(string Layer, long Bytes)>();
        var seen = new HashSet<string>();
        foreach (var column in schema.Where(c => !c.IsHidden && IsPerLayer(c.Name)))
        {
            var layer = column.Name[LayerPrefixes.First(p => column.Name.StartsWith(p, StringComparison.Ordinal)).Length..];
            if (!seen.Add(layer))
                continue;
            var sized = schema.GetColumnOrNull(ColumnPrefixes.Layer + layer) ?? column;
            sizes.Add((layer, 4L * ((sized.Type as VectorDataViewType)?.Size ?? 1)));
        }
        return sizes;
    }
}
