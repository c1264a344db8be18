using FeatureMaps.MLNet.Imaging;
using FeatureMaps.MLNet.Transforms;
using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>What a class-activation-map graph computes from a layer's activations and the class scores, and the columns it writes.</summary>
internal sealed record CamTarget(CamMethod Method, CamPlan Plan, bool ScoresAreProbabilities, int? TargetClass, string CamColumn, string ClassColumn, string ScoreColumn);

/// <summary>A class-activation-map graph that runs the model itself, after its layers are chosen and probed.</summary>
internal sealed record CamGraphRequest(
    ModelProto Model, ModelInput Input, FrontModel? Front, string ImageColumn, (int H, int W, int C) Image, InputPreprocessing Preprocessing,
    LayerTensor Layer, LayerTensor Scores, CamTarget Target, ModelReplica? Replica);

/// <summary>
/// Builds the graph <c>ClassActivationMap</c> runs: the layer graph (preprocessing + model, exposing the chosen
/// layer as H x W x C and the class scores) followed by the method's arithmetic, written as plain ONNX nodes at the
/// model's own opset, so ML.NET's stock ONNX transformer runs and persists it like the other estimators' graphs.
/// Score-CAM and occlusion run the model again inside a Loop, one batch of masked inputs per iteration.
/// </summary>
internal static class CamGraphFactory
{
    public const string LayerTensor = "fm/cam/layer";
    public const string ScoresTensor = "fm/cam/scores";
    private const float Tiny = 1e-30f;
    // Eigen-CAM's power method: the Gram matrix squared this often, then this many matrix-vector steps (power 2^5 * 8 = 256).
    private const int Squarings = 5;
    private const int PowerSteps = 8;

    /// <summary>The tensors a probe run must give shapes for.</summary>
    public static IReadOnlyList<ExposedTensor> Exposed(LayerTensor layer, LayerTensor scores) =>
    [
        new(layer.Tensor, LayerTensor, layer.ElementKind, layer.Layout),
        new(scores.Tensor, ScoresTensor, scores.ElementKind, TensorLayout.None),
    ];

    public static ModelProto Build(CamGraphRequest request, IReadOnlyDictionary<string, long[]> probedShapes)
    {
        var r = request;
        var result = LayerGraphFactory.Build(r.Model, r.Input, r.ImageColumn, r.Image, r.Preprocessing, Exposed(r.Layer, r.Scores), probedShapes, r.Front, out var modelInput);
        var opset = result.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
        return Finish(result, opset, r.Target, (b, target) => new MaskedRuns(b, r, modelInput, target));
    }

    /// <summary>
    /// Eigen-CAM from columns an <c>ExtractLayerOutputs</c> step already computed (a layer's H x W x C activations and
    /// the model's scores), so a pipeline that shows the layers gets its map without running the model again.
    /// </summary>
    public static ModelProto BuildFromColumns(string activationsColumn, string scoresColumn, CamTarget target)
    {
        const long Opset = 13;
        var plan = target.Plan;
        var result = GraphBuilder.NewModel("featuremaps_cam", Opset);
        var graph = result.Graph;
        graph.Input.Add(GraphBuilder.TensorInfo(activationsColumn, TensorElementKind.Float, [plan.LayerHeight, plan.LayerWidth, plan.LayerChannels]));
        graph.Input.Add(GraphBuilder.TensorInfo(scoresColumn, TensorElementKind.Float, [plan.Classes]));
        var b = new GraphBuilder(graph, "cam_columns");
        b.Node("Identity", [activationsColumn], LayerTensor);
        b.Node("Identity", [scoresColumn], ScoresTensor);
        PipelineFormat.Stamp(result, "cam");
        return Finish(result, Opset, target, masked: null);
    }

    /// <summary>The class, its probability, the method's raw map and its normalization to 0..1, after <see cref="LayerTensor"/> and <see cref="ScoresTensor"/>.</summary>
    private static ModelProto Finish(ModelProto result, long opset, CamTarget r, Func<GraphBuilder, string, MaskedRuns>? masked)
    {
        var graph = result.Graph;
        var b = new GraphBuilder(graph, "cam");
        var plan = r.Plan;

        var probabilities = b.Reshape(ScoresTensor, [1, plan.Classes]);
        if (!r.ScoresAreProbabilities)
            probabilities = b.Node("Softmax", [probabilities], null, GraphBuilder.Int("axis", 1));
        var target = r.TargetClass is { } chosen
            ? b.Int64s("target", chosen)
            : b.Reshape(b.Node("ArgMax", [probabilities], null, GraphBuilder.Int("axis", 1), GraphBuilder.Int("keepdims", 1)), [1]);
        var score = b.Reshape(b.Node("Gather", [probabilities, target], null, GraphBuilder.Int("axis", 1)), [1], r.ScoreColumn);
        b.Node("Identity", [target], r.ClassColumn);

        MaskedRuns Masked() => masked?.Invoke(b, target) ?? throw new InvalidOperationException($"{r.Method}-CAM runs the model again; it cannot be computed from columns alone.");
        var raw = r.Method switch
        {
            CamMethod.Eigen => Eigen(b, plan, opset),
            CamMethod.Score => Score(b, plan, Masked(), opset),
            CamMethod.Occlusion => Occlusion(b, plan, Masked(), score),
            _ => throw new ArgumentOutOfRangeException(nameof(r), r.Method, "Unknown CAM method."),
        };

        // [0, 1]: negative evidence is cut (ReLU), then min-max; a map without any spread is all zeros.
        var positive = b.Node("Relu", [raw]);
        var min = b.Reduce("ReduceMin", positive, opset, null);
        var max = b.Reduce("ReduceMax", positive, opset, null);
        var range = b.Node("Add", [b.Node("Sub", [max, min]), b.Scalar("tiny", Tiny)]);
        b.Reshape(b.Node("Div", [b.Node("Sub", [positive, min]), range]), [plan.MapHeight, plan.MapWidth], r.CamColumn);

        graph.Output.Clear();
        graph.Output.Add(GraphBuilder.TensorInfo(r.CamColumn, TensorElementKind.Float, [plan.MapHeight, plan.MapWidth]));
        graph.Output.Add(GraphBuilder.TensorInfo(r.ClassColumn, TensorElementKind.Int64, [1]));
        graph.Output.Add(GraphBuilder.TensorInfo(r.ScoreColumn, TensorElementKind.Float, [1]));
        LayerGraphFactory.Prune(graph);
        foreach (var kind in result.MetadataProps.Where(p => p.Key == PipelineFormat.KindKey))
            kind.Value = "cam";
        return result;
    }

    /// <summary>
    /// Eigen-CAM: the activations as an (H*W) x C matrix X, channels centred; the map is X's first principal
    /// component projected onto the positions, found by the power method on the smaller Gram matrix. Its sign is
    /// arbitrary, so it is chosen to correlate positively with the mean activation over channels.
    /// </summary>
    private static string Eigen(GraphBuilder b, CamPlan plan, long opset)
    {
        var (positions, channels) = (plan.LayerHeight * plan.LayerWidth, plan.LayerChannels);
        var x = b.Reshape(LayerTensor, [positions, channels]);
        var channelMeans = b.Node("MatMul", [b.Floats("row_mean", Enumerable.Repeat(1f / positions, positions).ToArray(), 1, positions), x]);
        var centred = b.Node("Sub", [x, channelMeans]);
        var transposed = b.Transpose(centred, 1, 0);
        var byPosition = positions <= channels;
        // The positions x positions Gram matrix gives the projection directly; the channels x channels one gives the
        // component, projected afterwards. Same answer, the smaller matrix is cheaper.
        var gram = byPosition ? b.Node("MatMul", [centred, transposed]) : b.Node("MatMul", [transposed, centred]);
        gram = Scaled(b, gram, opset);
        for (var i = 0; i < Squarings; i++)
            gram = Scaled(b, b.Node("MatMul", [gram, gram]), opset);
        var size = byPosition ? positions : channels;
        var random = new Random(8); // a fixed start: the same image always gives the same map
        var vector = b.Floats("start", Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), size, 1);
        for (var i = 0; i < PowerSteps; i++)
            vector = Scaled(b, b.Node("MatMul", [gram, vector]), opset);
        var projection = byPosition ? vector : b.Node("MatMul", [centred, vector]);

        var meanMap = b.Node("MatMul", [x, b.Floats("channel_mean", Enumerable.Repeat(1f / channels, channels).ToArray(), channels, 1)]);
        var agreement = b.Reduce("ReduceSum", b.Node("Mul", [Centred(b, projection, opset), Centred(b, meanMap, opset)]), opset, null);
        var sign = b.Node("Div", [agreement, b.Node("Add", [b.Node("Abs", [agreement]), b.Scalar("tiny", Tiny)])]);
        return b.Reshape(b.Node("Mul", [projection, sign]), [plan.MapHeight, plan.MapWidth]);
    }

    private static string Scaled(GraphBuilder b, string x, long opset) =>
        b.Node("Div", [x, b.Node("Add", [b.Reduce("ReduceMax", b.Node("Abs", [x]), opset, null), b.Scalar("tiny", Tiny)])]);

    private static string Centred(GraphBuilder b, string x, long opset) => b.Node("Sub", [x, b.Reduce("ReduceMean", x, opset, null)]);

    /// <summary>Score-CAM: channel maps upsampled (bilinear) and min-max normalized become masks; the masked inputs' target probabilities weight the channels.</summary>
    private static string Score(GraphBuilder b, CamPlan plan, MaskedRuns masked, long opset)
    {
        var (h, w, c) = (plan.LayerHeight, plan.LayerWidth, plan.LayerChannels);
        var maps = b.Transpose(LayerTensor, 2, 0, 1); // C x h x w
        var rows = b.Floats("rows", BilinearWeights.Matrix(h, plan.InputHeight), plan.InputHeight, h);
        var columns = b.Floats("columns", Transposed(BilinearWeights.Matrix(w, plan.InputWidth), plan.InputWidth, w), w, plan.InputWidth);
        var upsampled = b.Node("MatMul", [b.Node("MatMul", [rows, maps]), columns]); // C x H x W
        var min = b.Reduce("ReduceMin", upsampled, opset, [1, 2]);
        var max = b.Reduce("ReduceMax", upsampled, opset, [1, 2]);
        // A constant channel has no spread: its mask is all zeros (the tiny term keeps 0/0 away).
        var masks = b.Node("Div", [b.Node("Sub", [upsampled, min]), b.Node("Add", [b.Node("Sub", [max, min]), b.Scalar("tiny", Tiny)])]);
        var weights = b.Reshape(masked.Scores(masks, c), [1, c]);
        return b.Reshape(b.Node("MatMul", [weights, b.Reshape(maps, [c, h * w])]), [h, w]);
    }

    /// <summary>Occlusion: a patch of zeros (in model-input space) at every grid position; the map is the target probability's drop.</summary>
    private static string Occlusion(GraphBuilder b, CamPlan plan, MaskedRuns masked, string baseScore)
    {
        var (rows, columns) = (plan.MapHeight, plan.MapWidth);
        var rowBands = b.Floats("patch_rows", Bands(rows, plan.InputHeight, plan.PatchSize, plan.Stride), rows, 1, plan.InputHeight, 1);
        var columnBands = b.Floats("patch_columns", Bands(columns, plan.InputWidth, plan.PatchSize, plan.Stride), 1, columns, 1, plan.InputWidth);
        var patches = b.Node("Mul", [rowBands, columnBands]); // rows x columns x H x W, 1 inside the patch
        var masks = b.Reshape(b.Node("Sub", [b.Scalar("one", 1f), patches]), [rows * columns, plan.InputHeight, plan.InputWidth]);
        var scores = masked.Scores(masks, rows * columns);
        return b.Reshape(b.Node("Sub", [baseScore, scores]), [rows, columns]);
    }

    private static float[] Bands(int count, int size, int patch, int stride)
    {
        var bands = new float[count * size];
        for (var i = 0; i < count; i++)
            bands.AsSpan(i * size + i * stride, patch).Fill(1f);
        return bands;
    }

    private static float[] Transposed(float[] matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                result[c * rows + r] = matrix[r * columns + c];
        return result;
    }

    /// <summary>
    /// Runs the model on the model input times each of N masks, <see cref="ModelReplica.BatchSize"/> masks per
    /// iteration of an ONNX Loop, and returns the N target-class probabilities.
    /// </summary>
    private sealed class MaskedRuns(GraphBuilder outer, CamGraphRequest request, string modelInput, string target)
    {
        public string Scores(string masks, int count)
        {
            var replica = request.Replica ?? throw new InvalidOperationException("Masked runs need a model replica.");
            var batch = replica.BatchSize;
            var plan = request.Target.Plan;
            outer.Graph.Initializer.AddRange(replica.PatchedShapes.Select(s => s.Clone()));
            var body = new GraphProto { Name = "fm_cam_masked_runs" };
            var b = new GraphBuilder(body, "cam_run");
            var (iteration, conditionIn, carriedIn) = (b.NewName("iteration"), b.NewName("condition_in"), b.NewName("carried_in"));
            body.Input.Add(GraphBuilder.TensorInfo(iteration, TensorElementKind.Int64, []));
            body.Input.Add(GraphBuilder.TensorInfo(conditionIn, TensorElementKind.Bool, []));
            body.Input.Add(GraphBuilder.TensorInfo(carriedIn, TensorElementKind.Float, []));

            var indices = b.Node("Add", [b.Node("Mul", [iteration, b.Int64Scalar("batch", batch)]), b.Int64s("offsets", Enumerable.Range(0, batch).Select(i => (long)i).ToArray())]);
            var chunk = b.Node("Gather", [masks, indices], null, GraphBuilder.Int("axis", 0)); // batch x H x W
            chunk = b.Reshape(chunk, request.Input.Layout == TensorLayout.NHWC
                ? [batch, plan.InputHeight, plan.InputWidth, 1]
                : [batch, 1, plan.InputHeight, plan.InputWidth]);
            if (request.Input.ElementKind != TensorElementKind.Float)
                chunk = b.Cast(chunk, request.Input.ElementKind);
            var maskedInput = b.Node("Mul", [modelInput, chunk]);
            var scores = replica.CopyInto(body, request.Input.Name, maskedInput, request.Scores.Tensor);
            if (request.Scores.ElementKind != TensorElementKind.Float)
                scores = b.Cast(scores, TensorElementKind.Float);
            scores = b.Reshape(scores, [batch, plan.Classes]);
            if (!request.Target.ScoresAreProbabilities)
                scores = b.Node("Softmax", [scores], null, GraphBuilder.Int("axis", 1));
            var selected = b.Reshape(b.Node("Gather", [scores, target], null, GraphBuilder.Int("axis", 1)), [batch]);
            var conditionOut = b.Node("Identity", [conditionIn]);
            body.Output.Add(GraphBuilder.TensorInfo(conditionOut, TensorElementKind.Bool, []));
            body.Output.Add(GraphBuilder.TensorInfo(b.Node("Identity", [carriedIn]), TensorElementKind.Float, []));
            body.Output.Add(GraphBuilder.TensorInfo(selected, TensorElementKind.Float, [batch]));
            LayerGraphFactory.Prune(body);

            // Loop before opset 11 needs at least one loop-carried value; an unused scalar rides along.
            var loop = outer.MultiNode("Loop", [outer.Int64Scalar("runs", count / batch), "", outer.FloatScalar("carried", 0f)], 2,
                new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body });
            return outer.Reshape(loop[1], [count]);
        }
    }
}
