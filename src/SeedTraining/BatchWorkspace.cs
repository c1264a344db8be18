namespace FeatureMaps.SeedTraining;

/// <summary>
/// Activations and gradients of one mini-batch, kept between the forward and backward pass and reused
/// from batch to batch so training allocates nothing per step.
/// </summary>
internal sealed class BatchWorkspace
{
    public BatchWorkspace(SeedCnn net, int capacity)
    {
        Capacity = capacity;
        Images = new ImageBuffers[capacity];
        for (int i = 0; i < capacity; i++)
        {
            Images[i] = new ImageBuffers(net);
        }

        Flatten = new float[capacity * net.Dense1.Inputs];
        FlattenGradient = new float[Flatten.Length];
        Dense1 = new float[capacity * net.Dense1.Outputs];
        Dense1Gradient = new float[Dense1.Length];
        Dense2 = new float[capacity * net.Dense2.Outputs];
        Dense2Gradient = new float[Dense2.Length];
        Logits = new float[capacity * net.Dense3.Outputs];
        LogitGradient = new float[Logits.Length];
        Probabilities = new float[Logits.Length];
    }

    public int Capacity { get; }

    /// <summary>The inputs of the last forward pass, kept for the first layer's kernel gradient.</summary>
    public IReadOnlyList<float[]> Inputs { get; set; } = [];

    public ImageBuffers[] Images { get; }

    /// <summary>[batch, 9248]: the last max pool writes straight into its image's row, which is the NHWC flatten.</summary>
    public float[] Flatten { get; }

    public float[] FlattenGradient { get; }

    public float[] Dense1 { get; }

    public float[] Dense1Gradient { get; }

    public float[] Dense2 { get; }

    public float[] Dense2Gradient { get; }

    public float[] Logits { get; }

    public float[] LogitGradient { get; }

    /// <summary>[batch, classes]: the network output (Keras' softmax <c>dense_2</c>).</summary>
    public float[] Probabilities { get; }

    /// <summary>
    /// The per-image part of the convolutional stack. The kernel/bias gradients are per image so that the
    /// batch sum can be taken in a fixed order, keeping training bit-for-bit reproducible under Parallel.For.
    /// </summary>
    internal sealed class ImageBuffers
    {
        public ImageBuffers(SeedCnn net)
        {
            Conv1 = new float[net.Conv1.OutputLength];
            Pool1 = new float[net.Pool1.OutputLength];
            Pool1ArgMax = new int[net.Pool1.OutputLength];
            Conv2 = new float[net.Conv2.OutputLength];
            Pool2 = new float[net.Pool2.OutputLength];
            Pool2ArgMax = new int[net.Pool2.OutputLength];
            Conv3 = new float[net.Conv3.OutputLength];
            Pool3ArgMax = new int[net.Pool3.OutputLength];
            Conv1Gradient = new float[Conv1.Length];
            Pool1Gradient = new float[Pool1.Length];
            Conv2Gradient = new float[Conv2.Length];
            Pool2Gradient = new float[Pool2.Length];
            Conv3Gradient = new float[Conv3.Length];
            ConvKernelGradients = [.. net.ConvLayers.Select(layer => new float[layer.Kernel.Length])];
            ConvBiasGradients = [.. net.ConvLayers.Select(layer => new float[layer.Bias.Length])];
        }

        public float[] Conv1 { get; }

        public float[] Pool1 { get; }

        public int[] Pool1ArgMax { get; }

        public float[] Conv2 { get; }

        public float[] Pool2 { get; }

        public int[] Pool2ArgMax { get; }

        public float[] Conv3 { get; }

        public int[] Pool3ArgMax { get; }

        public float[] Conv1Gradient { get; }

        public float[] Pool1Gradient { get; }

        public float[] Conv2Gradient { get; }

        public float[] Pool2Gradient { get; }

        public float[] Conv3Gradient { get; }

        /// <summary>Indexed like <see cref="SeedCnn.ConvLayers"/>.</summary>
        public float[][] ConvKernelGradients { get; }

        public float[][] ConvBiasGradients { get; }
    }
}
