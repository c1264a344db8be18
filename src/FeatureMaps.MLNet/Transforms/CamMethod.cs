namespace FeatureMaps.MLNet.Transforms;

/// <summary>How <see cref="ClassActivationMapEstimator"/> finds where the network looks. All need forward passes only (no gradients).</summary>
public enum CamMethod
{
    /// <summary>
    /// Eigen-CAM: the first principal component of the layer's H*W x C activations (channels centred), one model
    /// run. Class-agnostic: it shows the dominant pattern of the layer, whatever the target class.
    /// </summary>
    Eigen,

    /// <summary>
    /// Score-CAM: every channel of the layer, upsampled to the input and min-max normalized, masks the model input;
    /// the target class's softmax probability on each masked input weights that channel. One model run per channel,
    /// batched when the model accepts a batch.
    /// </summary>
    Score,

    /// <summary>
    /// Occlusion sensitivity: a square patch set to zero in model-input space (the preprocessing's mean) slides over the
    /// input; the map holds the drop of the target class's probability at each position. One model run per position.
    /// </summary>
    Occlusion,
}
