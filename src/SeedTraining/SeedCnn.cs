using System.Numerics.Tensors;

namespace FeatureMaps.SeedTraining;

/// <summary>
/// The Keras tutorial CNN, NHWC, with its weights and a hand-written forward and backward pass:
/// Conv2D(8)-MaxPool-Conv2D(16)-MaxPool-Conv2D(32)-MaxPool-Flatten-Dense(1024)-Dense(512)-Dense(3, softmax).
/// Layer names follow Keras' defaults so the exported tensors read like a tf2onnx export.
/// </summary>
internal sealed class SeedCnn
{
    public const int ImageSize = 150;
    public const int ImageChannels = 3;
    public const int InputLength = ImageSize * ImageSize * ImageChannels;

    public SeedCnn(int classCount, int seed)
    {
        Conv1 = new ConvReluLayer("conv2d", ImageSize, ImageSize, ImageChannels, 8);
        Pool1 = new MaxPoolLayer("max_pooling2d", Conv1.OutHeight, Conv1.OutWidth, Conv1.OutChannels);
        Conv2 = new ConvReluLayer("conv2d_1", Pool1.OutHeight, Pool1.OutWidth, Pool1.Channels, 16);
        Pool2 = new MaxPoolLayer("max_pooling2d_1", Conv2.OutHeight, Conv2.OutWidth, Conv2.OutChannels);
        Conv3 = new ConvReluLayer("conv2d_2", Pool2.OutHeight, Pool2.OutWidth, Pool2.Channels, 32);
        Pool3 = new MaxPoolLayer("max_pooling2d_2", Conv3.OutHeight, Conv3.OutWidth, Conv3.OutChannels);
        Dense1 = new DenseLayer("dense", Pool3.OutputLength, 1024, relu: true);
        Dense2 = new DenseLayer("dense_1", Dense1.Outputs, 512, relu: true);
        Dense3 = new DenseLayer("dense_2", Dense2.Outputs, classCount, relu: false);
        ConvLayers = [Conv1, Conv2, Conv3];
        DenseLayers = [Dense1, Dense2, Dense3];

        var rng = new Random(seed);
        foreach (ConvReluLayer conv in ConvLayers)
        {
            conv.Kernel.InitializeHeNormal(conv.FanIn, rng);
        }

        foreach (DenseLayer dense in DenseLayers)
        {
            dense.Kernel.InitializeHeNormal(dense.Inputs, rng);
        }
    }

    public ConvReluLayer Conv1 { get; }

    public MaxPoolLayer Pool1 { get; }

    public ConvReluLayer Conv2 { get; }

    public MaxPoolLayer Pool2 { get; }

    public ConvReluLayer Conv3 { get; }

    public MaxPoolLayer Pool3 { get; }

    public DenseLayer Dense1 { get; }

    public DenseLayer Dense2 { get; }

    public DenseLayer Dense3 { get; }

    public IReadOnlyList<ConvReluLayer> ConvLayers { get; }

    public IReadOnlyList<DenseLayer> DenseLayers { get; }

    public int ClassCount => Dense3.Outputs;

    public IEnumerable<Parameter> Parameters =>
        ConvLayers.SelectMany(layer => new[] { layer.Kernel, layer.Bias })
            .Concat(DenseLayers.SelectMany(layer => new[] { layer.Kernel, layer.Bias }));

    /// <summary>Runs the batch; the class probabilities land in <see cref="BatchWorkspace.Probabilities"/>.</summary>
    public void Forward(BatchWorkspace workspace, IReadOnlyList<float[]> inputs)
    {
        int count = inputs.Count;
        if (count > workspace.Capacity)
        {
            throw new ArgumentException($"Batch of {count} exceeds the workspace capacity {workspace.Capacity}.", nameof(inputs));
        }

        workspace.Inputs = inputs;
        Parallel.For(0, count, n =>
        {
            BatchWorkspace.ImageBuffers image = workspace.Images[n];
            Conv1.Forward(inputs[n], image.Conv1);
            Pool1.Forward(image.Conv1, image.Pool1, image.Pool1ArgMax);
            Conv2.Forward(image.Pool1, image.Conv2);
            Pool2.Forward(image.Conv2, image.Pool2, image.Pool2ArgMax);
            Conv3.Forward(image.Pool2, image.Conv3);
            Pool3.Forward(image.Conv3, workspace.Flatten.AsSpan(n * Pool3.OutputLength, Pool3.OutputLength), image.Pool3ArgMax);
        });

        Dense1.Forward(workspace.Flatten, workspace.Dense1, count);
        Dense2.Forward(workspace.Dense1, workspace.Dense2, count);
        Dense3.Forward(workspace.Dense2, workspace.Logits, count);
        SoftmaxCrossEntropy.Softmax(workspace.Logits, workspace.Probabilities, count, ClassCount);
    }

    /// <summary>Class probabilities for any number of images, as [images, classes], in batches of the workspace's capacity.</summary>
    public float[] Predict(BatchWorkspace workspace, float[][] images)
    {
        var probabilities = new float[images.Length * ClassCount];
        for (int start = 0; start < images.Length; start += workspace.Capacity)
        {
            int count = Math.Min(workspace.Capacity, images.Length - start);
            Forward(workspace, new ArraySegment<float[]>(images, start, count));
            workspace.Probabilities.AsSpan(0, count * ClassCount).CopyTo(probabilities.AsSpan(start * ClassCount));
        }

        return probabilities;
    }

    /// <summary>
    /// Back-propagates the cross-entropy of the last <see cref="Forward"/> against <paramref name="labels"/>,
    /// writing every <see cref="Parameter.Gradient"/>; returns the batch's mean loss.
    /// </summary>
    public float Backward(BatchWorkspace workspace, int[] labels)
    {
        int count = labels.Length;
        float loss = SoftmaxCrossEntropy.LossAndGradient(workspace.Probabilities, labels, workspace.LogitGradient, ClassCount);
        Dense3.Backward(workspace.Dense2, workspace.Logits, workspace.LogitGradient, workspace.Dense2Gradient, count);
        Dense2.Backward(workspace.Dense1, workspace.Dense2, workspace.Dense2Gradient, workspace.Dense1Gradient, count);
        Dense1.Backward(workspace.Flatten, workspace.Dense1, workspace.Dense1Gradient, workspace.FlattenGradient, count);

        foreach (ConvReluLayer conv in ConvLayers)
        {
            conv.PrepareBackward();
        }

        Parallel.For(0, count, n =>
        {
            BatchWorkspace.ImageBuffers image = workspace.Images[n];
            float[][] kernelGradients = image.ConvKernelGradients;
            float[][] biasGradients = image.ConvBiasGradients;
            Pool3.Backward(workspace.FlattenGradient.AsSpan(n * Pool3.OutputLength, Pool3.OutputLength), image.Pool3ArgMax, image.Conv3Gradient);
            Conv3.Backward(image.Pool2, image.Conv3, image.Conv3Gradient, kernelGradients[2], biasGradients[2], image.Pool2Gradient);
            Pool2.Backward(image.Pool2Gradient, image.Pool2ArgMax, image.Conv2Gradient);
            Conv2.Backward(image.Pool1, image.Conv2, image.Conv2Gradient, kernelGradients[1], biasGradients[1], image.Pool1Gradient);
            Pool1.Backward(image.Pool1Gradient, image.Pool1ArgMax, image.Conv1Gradient);
            Conv1.Backward(workspace.Inputs[n], image.Conv1, image.Conv1Gradient, kernelGradients[0], biasGradients[0], []);
        });

        for (int layer = 0; layer < ConvLayers.Count; layer++)
        {
            SumInOrder(workspace, count, image => image.ConvKernelGradients[layer], ConvLayers[layer].Kernel.Gradient);
            SumInOrder(workspace, count, image => image.ConvBiasGradients[layer], ConvLayers[layer].Bias.Gradient);
        }

        return loss;
    }

    private static void SumInOrder(BatchWorkspace workspace, int count, Func<BatchWorkspace.ImageBuffers, float[]> select, float[] total)
    {
        Array.Clear(total);
        for (int n = 0; n < count; n++)
        {
            TensorPrimitives.Add(total, select(workspace.Images[n]), total);
        }
    }
}
