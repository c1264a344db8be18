namespace FeatureMaps.MLNet.Reading;

/// <summary>
/// One run of the model for one image under a memory budget: the layers whose activations it fetches together.
/// </summary>
/// <param name="Layers">Layer names (the part after <c>Layer.</c>), in model order.</param>
/// <param name="Bytes">Their activations as float32: the sum of height x width x channels x 4.</param>
/// <param name="ExceedsBudget">True when this pass is one layer that alone is larger than the budget: it still runs, alone.</param>
public sealed record ActivationPass(IReadOnlyList<string> Layers, long Bytes, bool ExceedsBudget);
