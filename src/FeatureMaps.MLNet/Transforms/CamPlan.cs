namespace FeatureMaps.MLNet.Transforms;

/// <summary>What a fitted class-activation map computes for each image, as <see cref="ClassActivationMapEstimator.Plan"/> reports it.</summary>
/// <param name="Method">The method.</param>
/// <param name="Layer">The layer whose activations are used (occlusion uses it only to name the run).</param>
/// <param name="LayerHeight">The layer's height.</param>
/// <param name="LayerWidth">The layer's width.</param>
/// <param name="LayerChannels">The layer's channels.</param>
/// <param name="InputHeight">The model input's height.</param>
/// <param name="InputWidth">The model input's width.</param>
/// <param name="Classes">How many class scores the model outputs.</param>
/// <param name="MapHeight">Rows of the map: the layer's height, or the occlusion grid's.</param>
/// <param name="MapWidth">Columns of the map.</param>
/// <param name="PatchSize">Occlusion's patch side in input pixels (0 for the other methods).</param>
/// <param name="Stride">Occlusion's stride (0 for the other methods).</param>
/// <param name="MaskedRuns">Extra model runs per image: one per channel (Score-CAM) or patch position (occlusion), 0 for Eigen-CAM.</param>
/// <param name="BatchSize">Masked inputs per model run.</param>
/// <param name="WhySequential">Why the masked inputs run one at a time although a batch was allowed, or null.</param>
public sealed record CamPlan(
    CamMethod Method, string Layer, int LayerHeight, int LayerWidth, int LayerChannels, int InputHeight, int InputWidth, int Classes,
    int MapHeight, int MapWidth, int PatchSize, int Stride, int MaskedRuns, int BatchSize, string? WhySequential);
