using FeatureMaps.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Transforms;

/// <summary>
/// Adds where an ONNX classifier looked for its answer: a class activation map per image (<c>Cam</c>: float, map
/// height x width, values 0..1, 1 where the evidence is strongest), the target class (<c>CamClass</c>: long[1], the
/// predicted class unless one is chosen) and its probability (<c>CamScore</c>: float[1]). Gradient-free methods only
/// (<see cref="CamMethod"/>): ONNX Runtime gives no gradients at inference time.
/// </summary>
/// <remarks>
/// The fitted form runs a generated graph (preprocessing, the model, the method's arithmetic; for Score-CAM and
/// occlusion a Loop that runs the model again on batches of masked inputs), saved as ML.NET's own ONNX transformer,
/// so a saved pipeline with this step loads like the others. The probability is the model's own when its scores come
/// out of a Softmax, else a softmax of its scores.
/// </remarks>
public sealed class ClassActivationMapEstimator : IEstimator<ITransformer>
{
    private const string Name = "ClassActivationMap";
    private readonly TransformsCatalog _catalog;
    private readonly global::Onnx.ModelProto _model;
    private readonly FrontModel? _front;
    private readonly bool _scoresAreProbabilities;
    private readonly object _preparing = new();
    private ((int, int, int) Image, Prepared Value)? _prepared;

    internal ClassActivationMapEstimator(TransformsCatalog catalog, ClassActivationMapOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        Guard.NotNullOrEmpty(options.OutputColumnName);
        Guard.InRange(options.MaxBatchSize, 1, 4096);
        if (options.TargetClass is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetClass, $"{Name}: TargetClass must be a class index (0 or more).");
        if (options.ActivationsColumnName is null != options.ScoresColumnName is null)
            throw new ArgumentException($"{Name}: give ActivationsColumnName and ScoresColumnName together (the layer's activations and the model's scores).", nameof(options));
        if (options.ActivationsColumnName is not null && options.Method != CamMethod.Eigen)
            throw new ArgumentException($"{Name}: {options.Method}-CAM runs the model on masked inputs, so it cannot work from columns; only Eigen-CAM can use ActivationsColumnName.", nameof(options));
        if (options.PatchSize is < 1 || options.Stride is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"{Name}: PatchSize and Stride must be positive.");
        _catalog = catalog;
        Options = options;
        (_model, Model, _front) = ImageModel.Read(options.ModelPath, options.InputModelPath);
        Layer = ChooseLayer();
        Scores = ChooseScores();
        _scoresAreProbabilities = ComesFromSoftmax(Scores.Tensor);
    }

    /// <summary>The options this estimator was made with.</summary>
    public ClassActivationMapOptions Options { get; }

    /// <summary>What the model computes.</summary>
    public OnnxModelDescription Model { get; }

    /// <summary>The layer whose activations make the map.</summary>
    public LayerTensor Layer { get; }

    /// <summary>The model output holding the class scores.</summary>
    public LayerTensor Scores { get; }

    /// <summary>The column with the target class index (long[1]).</summary>
    public string ClassColumnName => Options.OutputColumnName + "Class";

    /// <summary>The column with the target class's probability (float[1]).</summary>
    public string ScoreColumnName => Options.OutputColumnName + "Score";

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        if (Options is { ActivationsColumnName: { } activations, ScoresColumnName: { } scores })
        {
            SchemaShapes.Require(inputSchema, activations, Name, ExpectedActivations, c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
            SchemaShapes.Require(inputSchema, scores, Name, ExpectedScores, c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
        }
        else
            SchemaShapes.Require(inputSchema, Options.InputColumnName, Name, Image.Expected, c => c.IsKnownSizeVectorOf(NumberDataViewType.Single));
        var shape = SchemaShapes.AddVectors<float>(_catalog, inputSchema, [Options.OutputColumnName, ScoreColumnName]);
        return SchemaShapes.AddVectors<long>(_catalog, shape, [ClassColumnName]);
    }

    /// <summary>
    /// What fitting on <paramref name="inputSchema"/> gives: map size, masked runs per image and whether they are
    /// batched (one probe run of the model, and for Score-CAM/occlusion one batch check).
    /// </summary>
    public CamPlan Plan(DataViewSchema inputSchema) => Options.ActivationsColumnName is null ? Prepare(inputSchema).Plan : PlanFromColumns(inputSchema);

    /// <inheritdoc />
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string[] outputs = [Options.OutputColumnName, ClassColumnName, ScoreColumnName];
        if (Options is { ActivationsColumnName: { } activations, ScoresColumnName: { } scores })
        {
            // A few small matrix products on an existing column: one thread, as the other per-layer graphs.
            var fromColumns = CamGraphFactory.BuildFromColumns(activations, scores, Target(PlanFromColumns(input.Schema)));
            return GeneratedGraphFile.Apply(_catalog, fromColumns, [activations, scores], outputs, intraOpThreads: 1).Fit(input);
        }
        var prepared = Prepare(input.Schema);
        var request = new CamGraphRequest(_model, Model.ImageInput, _front, Options.InputColumnName, prepared.Image, Options.Preprocessing,
            Layer, Scores, Target(prepared.Plan), prepared.Replica);
        var graph = CamGraphFactory.Build(request, prepared.Shapes);
        return GeneratedGraphFile.Apply(_catalog, graph, [Options.InputColumnName], outputs,
            Options.IntraOpThreads, Options.GpuDeviceId, Options.FallbackToCpu).Fit(input);
    }

    private CamTarget Target(CamPlan plan) =>
        new(Options.Method, plan, _scoresAreProbabilities, Options.TargetClass, Options.OutputColumnName, ClassColumnName, ScoreColumnName);

    private const string ExpectedActivations = "a float vector of height x width x channels activations (a Layer.* column of ExtractLayerOutputs)";
    private const string ExpectedScores = "a float vector of class scores (an Output.* column of ExtractLayerOutputs)";

    private CamPlan PlanFromColumns(DataViewSchema schema)
    {
        var activations = Options.ActivationsColumnName!;
        var dims = SchemaShapes.Dimensions(schema, activations, Name, ExpectedActivations);
        if (dims.Length != 3 || ((VectorDataViewType)schema[activations].Type).ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema), $"{Name}: input column '{activations}' is {schema[activations].Type} with dimensions [{string.Join(", ", dims)}]; expected {ExpectedActivations}.");
        var scores = SchemaShapes.Dimensions(schema, Options.ScoresColumnName!, Name, ExpectedScores);
        var classes = scores.Aggregate(1, (a, b) => a * b);
        if (Options.TargetClass >= classes)
            throw new ArgumentOutOfRangeException(nameof(Options.TargetClass), Options.TargetClass,
                $"{Name}: TargetClass {Options.TargetClass} is not a class of column '{Options.ScoresColumnName}', which has {classes} scores (0..{classes - 1}).");
        return new CamPlan(CamMethod.Eigen, Options.Layer ?? activations, dims[0], dims[1], dims[2], 0, 0, classes, dims[0], dims[1], 0, 0, 0, 1, null);
    }

    private sealed record Prepared((int H, int W, int C) Image, Dictionary<string, long[]> Shapes, CamPlan Plan, ModelReplica? Replica);

    private Prepared Prepare(DataViewSchema schema)
    {
        var image = Image.Dimensions(schema);
        lock (_preparing)
        {
            if (_prepared is { } cached && cached.Image == image)
                return cached.Value;
            var prepared = PrepareFor(image);
            _prepared = (image, prepared);
            return prepared;
        }
    }

    private Prepared PrepareFor((int H, int W, int C) image)
    {
        var exposed = CamGraphFactory.Exposed(Layer, Scores);
        var probe = LayerGraphFactory.Build(_model, Model.ImageInput, Options.InputColumnName, image, Options.Preprocessing, exposed, null, _front);
        var shapes = LayerGraphFactory.ProbeShapes(probe, Options.InputColumnName, image, Options.ModelPath);
        var layer = shapes[CamGraphFactory.LayerTensor];
        var (h, w, c) = ((int)layer[1], (int)layer[2], (int)layer[3]);
        var classes = (int)shapes[CamGraphFactory.ScoresTensor].Skip(1).Aggregate(1L, (a, b) => a * b);
        if (Options.TargetClass >= classes)
            throw new ArgumentOutOfRangeException(nameof(Options.TargetClass), Options.TargetClass,
                $"{Name}: TargetClass {Options.TargetClass} is not a class of '{Options.ModelPath}': its output '{Scores.Tensor}' has {classes} classes (0..{classes - 1}).");
        var input = Model.ImageInput;
        var (inputH, inputW) = ((int)(input.ImageGeometry.Height.Size ?? image.H), (int)(input.ImageGeometry.Width.Size ?? image.W));
        var (mapH, mapW, patch, stride, runs) = (h, w, 0, 0, 0);
        switch (Options.Method)
        {
            case CamMethod.Score:
                runs = c;
                break;
            case CamMethod.Occlusion:
                patch = Options.PatchSize ?? Math.Max(1, (int)Math.Round(Math.Min(inputH, inputW) / (double)ClassActivationMapOptions.Defaults.PatchesPerSide));
                stride = Options.Stride ?? Math.Max(1, patch / 2);
                if (patch > Math.Min(inputH, inputW))
                    throw new ArgumentOutOfRangeException(nameof(Options.PatchSize), patch, $"{Name}: PatchSize {patch} is larger than the {inputH}x{inputW} model input.");
                (mapH, mapW) = ((inputH - patch) / stride + 1, (inputW - patch) / stride + 1);
                runs = mapH * mapW;
                break;
        }
        ModelReplica? replica = null;
        if (runs > 0)
        {
            long[] inputShape = input.Layout == TensorLayout.NHWC ? [1, inputH, inputW, image.C] : [1, image.C, inputH, inputW];
            replica = ModelReplica.Create(_model, input, inputShape, Scores.Tensor, runs, Options.MaxBatchSize);
        }
        var plan = new CamPlan(Options.Method, Layer.Layer, h, w, c, inputH, inputW, classes, mapH, mapW, patch, stride, runs,
            replica?.BatchSize ?? 1, replica?.WhySequential);
        return new Prepared(image, shapes, plan, replica);
    }

    private LayerTensor ChooseLayer()
    {
        LayerTensor WithLayout(LayerTensor layer) =>
            Options.LayoutOverrides is { } overrides && (overrides.TryGetValue(layer.Tensor, out var layout) || overrides.TryGetValue(layer.Layer, out layout))
                ? layer with { Layout = layout }
                : layer;
        if (Options.Layer is { } name)
        {
            var chosen = LayerSelector.Select(Model, [name]);
            if (chosen.Count != 1 || !chosen[0].IsFeatureMap)
                throw new ArgumentException(
                    $"{Name}: layer '{name}' must name one 4-D layer of '{Options.ModelPath}'; it matches {string.Join(", ", chosen.Select(l => $"'{l.Layer}' ({l.DisplayShape})"))}.", nameof(Options.Layer));
            return WithLayout(chosen[0]);
        }
        static bool IsSinglePixel(LayerTensor l) => l.MapGeometry is { Height.Size: 1, Width.Size: 1 };
        return Model.FeatureMapLayers.Select(WithLayout).LastOrDefault(l => !IsSinglePixel(l))
            ?? throw new ArgumentException($"{Name}: '{Options.ModelPath}' has no 4-D layer larger than 1x1 to make a map from; its layers are {string.Join(", ", Model.Layers.Select(l => $"'{l.Layer}' ({l.DisplayShape})"))}.");
    }

    private LayerTensor ChooseScores()
    {
        var name = Options.ClassOutput ?? Model.Outputs.FirstOrDefault()
            ?? throw new ArgumentException($"{Name}: '{Options.ModelPath}' has no outputs.");
        var tensor = Model.Tensors.FirstOrDefault(t => t.Tensor == name && t.ElementKind.IsDisplayable());
        if (tensor is null || !Model.Outputs.Contains(name))
            throw new ArgumentException(
                $"{Name}: class output '{name}' is not a float output of '{Options.ModelPath}'; its outputs are {string.Join(", ", Model.Outputs.Select(o => $"'{o}'"))}.", nameof(Options.ClassOutput));
        return tensor;
    }

    /// <summary>Whether the scores are already probabilities: a Softmax, possibly followed by reshaping plumbing.</summary>
    private bool ComesFromSoftmax(string tensor)
    {
        var producers = _model.Graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).GroupBy(p => p.Output).ToDictionary(g => g.Key, g => g.First().Node);
        string[] passThrough = ["Reshape", "Flatten", "Identity", "Squeeze", "Unsqueeze", "Cast", "Transpose"];
        while (producers.TryGetValue(tensor, out var node))
        {
            if (node.OpType == "Softmax") return true;
            if (!passThrough.Contains(node.OpType) || node.Input.Count == 0) return false;
            tensor = node.Input[0];
        }
        return false;
    }

    private ImageColumn Image => new(Options.InputColumnName, Name, _front?.Input ?? Model.ImageInput, Options.InputModelPath ?? Options.ModelPath);
}
