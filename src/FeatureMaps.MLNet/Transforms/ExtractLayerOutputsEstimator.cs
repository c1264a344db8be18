using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Reading;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Runs an ONNX CNN on an image column and adds one column per selected layer (<c>Layer.&lt;name&gt;</c>,
/// float H x W x C whatever the model's layout or element type) plus the model's own outputs
/// (<c>Output.&lt;name&gt;</c>). One ONNX Runtime run per row feeds all columns (one run per pass of layers under
/// <see cref="ExtractLayerOutputsOptions.MaxActivationBytes"/>).
/// </summary>
/// <remarks>
/// The fitted form runs a generated graph: the model with the preprocessing in front and the selected tensors
/// exposed (cast to float, transposed to HWC, batch axis dropped), through ONNX Runtime into reused buffers. Saved,
/// it is ML.NET's own ONNX transformer over that graph, whose bytes ML.NET stores inside the zip, so a saved pipeline
/// needs neither the original .onnx file nor this library's row code to run again.
/// </remarks>
public sealed class ExtractLayerOutputsEstimator : IEstimator<ITransformer>
{
    private const string Name = "ExtractLayerOutputs";
    private readonly TransformsCatalog _catalog;
    private readonly global::Onnx.ModelProto _model;
    private readonly FrontModel? _front;

    internal ExtractLayerOutputsEstimator(TransformsCatalog catalog, ExtractLayerOutputsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        _catalog = catalog;
        Options = options;
        if (options.MaxActivationBytes is { } budget)
            Guard.Positive(budget, nameof(options.MaxActivationBytes));
        (_model, Model, _front) = ImageModel.Read(options.ModelPath, options.InputModelPath);
        SelectedLayers = LayerSelector.Select(Model, options.Layers).Select(ApplyOverride).ToList();
        ModelOutputs = options.IncludeModelOutputs
            ? Model.Outputs.Select(o => Model.Tensors.FirstOrDefault(t => t.Tensor == o)).OfType<LayerTensor>()
                .Where(t => t.ElementKind.IsDisplayable()).ToList()
            : [];
    }

    /// <summary>The options this estimator was made with.</summary>
    public ExtractLayerOutputsOptions Options { get; }

    /// <summary>What the model computes.</summary>
    public OnnxModelDescription Model { get; }

    /// <summary>The input the image column feeds: the input model's when there is one, else the main model's.</summary>
    public ModelInput ImageInput => _front?.Input ?? Model.ImageInput;

    /// <summary>The layers that become columns, in model order.</summary>
    public IReadOnlyList<LayerTensor> SelectedLayers { get; }

    /// <summary>The model outputs that become <c>Output.*</c> columns.</summary>
    public IReadOnlyList<LayerTensor> ModelOutputs { get; }

    /// <summary>The column a selected layer lands in.</summary>
    public string ColumnOf(LayerTensor layer) => ColumnPrefixes.Column(ColumnPrefixes.Layer, UniqueLayerName(layer));

    private string UniqueLayerName(LayerTensor layer) =>
        SelectedLayers.Count(l => l.Layer == layer.Layer) > 1 ? layer.Tensor : layer.Layer;

    private LayerTensor ApplyOverride(LayerTensor layer) =>
        Options.LayoutOverrides is { } overrides && layer.IsFeatureMap &&
        (overrides.TryGetValue(layer.Tensor, out var layout) || overrides.TryGetValue(layer.Layer, out layout))
            ? layer with { Layout = layout }
            : layer;

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShapes.Require(inputSchema, Options.InputColumnName, Name, Image.Expected, c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
        return SchemaShapes.AddVectors<float>(_catalog, inputSchema, Exposed().Select(e => e.Column));
    }

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var image = Image.Dimensions(input.Schema);
        var exposed = Exposed();
        var probe = LayerGraphFactory.Build(_model, Model.ImageInput, Options.InputColumnName, image, Options.Preprocessing, exposed, null, _front);
        var shapes = LayerGraphFactory.ProbeShapes(probe, Options.InputColumnName, image, Options.ModelPath);
        IEstimator<ITransformer>? passes = null;
        foreach (var pass in PlanPasses(exposed, shapes))
        {
            var graph = LayerGraphFactory.Build(_model, Model.ImageInput, Options.InputColumnName, image, Options.Preprocessing, pass, shapes, _front);
            var run = GeneratedGraphFile.Apply(_catalog, graph, [Options.InputColumnName], pass.Select(e => e.Column),
                Options.IntraOpThreads, Options.GpuDeviceId, Options.FallbackToCpu);
            passes = passes is null ? run : passes.Append(run);
        }
        return passes!.Fit(input);
    }

    /// <summary>
    /// The exposed tensors of each run: all in one without a budget; else the layers grouped by
    /// <see cref="ActivationPasses.Plan"/> (the reader plans the same way), the model's outputs with the last pass.
    /// </summary>
    private List<List<ExposedTensor>> PlanPasses(List<ExposedTensor> exposed, Dictionary<string, long[]> shapes)
    {
        if (Options.MaxActivationBytes is null)
            return [exposed];
        var layers = exposed.Where(e => e.Column.StartsWith(ColumnPrefixes.Layer, StringComparison.Ordinal)).ToList();
        var plan = ActivationPasses.Plan(
            layers.Select(l => (l.Column[ColumnPrefixes.Layer.Length..], shapes[l.Column].Aggregate(4L, (bytes, d) => bytes * d))).ToList(),
            Options.MaxActivationBytes);
        var byLayer = layers.ToDictionary(l => l.Column[ColumnPrefixes.Layer.Length..]);
        var passes = plan.Select(p => p.Layers.Select(l => byLayer[l]).ToList()).ToList();
        passes[^1].AddRange(exposed.Except(layers));
        return passes;
    }

    private List<ExposedTensor> Exposed() =>
        SelectedLayers.Select(l => new ExposedTensor(l.Tensor, ColumnOf(l), l.ElementKind, l.Layout))
            .Concat(ModelOutputs.Select(o => new ExposedTensor(o.Tensor, ColumnPrefixes.Column(ColumnPrefixes.Output, o.Tensor), o.ElementKind, TensorLayout.None)))
            .ToList();

    private ImageColumn Image => new(Options.InputColumnName, Name, ImageInput, Options.InputModelPath ?? Model.ModelPath);
}
