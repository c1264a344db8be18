using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>A single-input, single-output model that runs in front of the main one, inside the same graph.</summary>
internal sealed record FrontModel(ModelProto Model, ModelInput Input)
{
    /// <summary>Reads and describes the model at <paramref name="path"/>; null when there is none.</summary>
    public static FrontModel? Read(string? path)
    {
        if (path is null)
            return null;
        var model = OnnxModelFile.Read(path);
        return new FrontModel(model, OnnxModelInspector.Describe(path, model).ImageInput);
    }

    /// <summary>Appends the front model's nodes and weights, fed by <paramref name="feed"/>, its output renamed to <paramref name="output"/>.</summary>
    public void SpliceInto(GraphProto graph, string feed, string output)
    {
        var source = Model.Graph;
        if (source.Output.Count != 1)
            throw new ArgumentException($"The input model must have exactly one output to feed the main model; it has {source.Output.Count}.");
        var frontOutput = source.Output[0].Name;
        string Rename(string name) =>
            name.Length == 0 ? name : name == Input.Name ? feed : name == frontOutput ? output : "fm/front/" + name;
        for (var n = 0; n < source.Node.Count; n++)
        {
            var copy = source.Node[n].Clone();
            copy.Name = $"fm/front/{n}/{copy.Name}"; // converters often leave node names empty; ONNX wants them unique
            for (var i = 0; i < copy.Input.Count; i++) copy.Input[i] = Rename(copy.Input[i]);
            for (var i = 0; i < copy.Output.Count; i++) copy.Output[i] = Rename(copy.Output[i]);
            graph.Node.Add(copy);
        }
        foreach (var initializer in source.Initializer.Where(i => i.Name != Input.Name))
        {
            var copy = initializer.Clone();
            copy.Name = Rename(initializer.Name);
            graph.Initializer.Add(copy);
        }
    }
}

/// <summary>A model tensor exposed as a column of the generated graph.</summary>
internal sealed record ExposedTensor(string Tensor, string Column, TensorElementKind ElementKind, TensorLayout Layout);
