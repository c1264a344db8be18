namespace FeatureMaps.MLNet.Onnx;

/// <summary>What an ONNX model computes: its inputs, outputs and every tensor its layers produce.</summary>
public sealed class OnnxModelDescription
{
    internal OnnxModelDescription(string modelPath, long opset, IReadOnlyList<ModelInput> inputs,
        IReadOnlyList<LayerTensor> tensors, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, string> metadata)
    {
        ModelPath = modelPath;
        Opset = opset;
        Inputs = inputs;
        Tensors = tensors;
        Outputs = outputs;
        Metadata = metadata;
    }

    /// <summary>The file the description was read from.</summary>
    public string ModelPath { get; }

    /// <summary>The default-domain opset the model is written for.</summary>
    public long Opset { get; }

    /// <summary>The inputs a caller feeds (initializers excluded).</summary>
    public IReadOnlyList<ModelInput> Inputs { get; }

    /// <summary>Every tensor computed by a node, in node order, plumbing included (what <c>layers --all</c> shows).</summary>
    public IReadOnlyList<LayerTensor> Tensors { get; }

    /// <summary>The names of the graph's own outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The model's metadata properties (e.g. <c>classes</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>One row per layer the way a person thinks of the model: converter plumbing hidden.</summary>
    public IReadOnlyList<LayerTensor> Layers => Tensors.Where(t => !t.IsPlumbing).ToList();

    /// <summary>The tutorial's selection: every displayable 4-D layer output.</summary>
    public IReadOnlyList<LayerTensor> FeatureMapLayers => Layers.Where(t => t.SkipReason is null).ToList();

    /// <summary>Class names from the model's <c>classes</c> metadata (comma separated), or empty.</summary>
    public IReadOnlyList<string> ClassNames => Metadata.TryGetValue("classes", out var c)
        ? c.Split(',', StringSplitOptions.TrimEntries) : [];

    /// <summary>The single image input; a model with several inputs gets an error that lists them.</summary>
    public ModelInput ImageInput => Inputs.Count == 1
        ? Inputs[0]
        : throw new OnnxModelException(ModelPath,
            $"ONNX model '{ModelPath}' has {Inputs.Count} inputs ({string.Join(", ", Inputs.Select(i => $"'{i.Name}'"))}); FeatureMaps feeds one image input.");
}
