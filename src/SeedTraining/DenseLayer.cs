using System.Numerics.Tensors;

namespace FeatureMaps.SeedTraining;

/// <summary>
/// Keras <c>Dense(units)</c> with an optional ReLU, on a whole mini-batch at once: rows of the
/// [batch, inputs] matrix are images. Working on the batch lets each pass stream the large kernel
/// (9248 x 1024 floats for the first dense layer) once per batch instead of once per image.
/// </summary>
/// <remarks>
/// Every dense layer of this network reads a post-ReLU input (the flattened max pool of a ReLU, or the
/// previous dense ReLU). Where such an input is zero its upstream ReLU blocks any gradient, so zero
/// inputs are skipped in both passes without changing the result.
/// </remarks>
internal sealed class DenseLayer
{
    /// <summary>Output columns per parallel work item: 1 KiB rows of the result stay in L1.</summary>
    private const int ColumnChunk = 256;

    /// <summary>Kernel rows per cache block: 128 x 256 floats (128 KiB) stay in L2 while every image reuses them.</summary>
    private const int RowBlock = 128;

    /// <summary>Kernel rows per parallel work item in the backward pass.</summary>
    private const int BackwardRowChunk = 64;

    public DenseLayer(string name, int inputs, int outputs, bool relu)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Relu = relu;
        Kernel = new Parameter($"{name}/kernel", [inputs, outputs]);
        Bias = new Parameter($"{name}/bias", [outputs]);
    }

    public string Name { get; }

    public int Inputs { get; }

    public int Outputs { get; }

    public bool Relu { get; }

    /// <summary>Kernel as [inputs, outputs], the layout of both Keras and the exported ONNX MatMul.</summary>
    public Parameter Kernel { get; }

    public Parameter Bias { get; }

    /// <summary>output[n, :] = act(input[n, :] * W + b) for the first <paramref name="count"/> rows.</summary>
    public void Forward(float[] input, float[] output, int count)
    {
        int chunks = (Outputs + ColumnChunk - 1) / ColumnChunk;
        Parallel.For(0, chunks, chunk =>
        {
            int c0 = chunk * ColumnChunk;
            int length = Math.Min(ColumnChunk, Outputs - c0);
            float[] kernel = Kernel.Value;
            for (int n = 0; n < count; n++)
            {
                Bias.Value.AsSpan(c0, length).CopyTo(output.AsSpan(n * Outputs + c0, length));
            }

            for (int k0 = 0; k0 < Inputs; k0 += RowBlock)
            {
                int k1 = Math.Min(k0 + RowBlock, Inputs);
                for (int n = 0; n < count; n++)
                {
                    Span<float> row = output.AsSpan(n * Outputs + c0, length);
                    for (int k = k0; k < k1; k++)
                    {
                        float x = input[n * Inputs + k];
                        if (x != 0f)
                        {
                            TensorPrimitives.MultiplyAdd(kernel.AsSpan(k * Outputs + c0, length), x, row, row);
                        }
                    }
                }
            }

            if (Relu)
            {
                for (int n = 0; n < count; n++)
                {
                    Span<float> row = output.AsSpan(n * Outputs + c0, length);
                    TensorPrimitives.Max(row, 0f, row);
                }
            }
        });
    }

    /// <summary>
    /// Writes the kernel and bias gradients of the batch and, when <paramref name="inputGradient"/> is not
    /// null, dLoss/dInput. <paramref name="outputGradient"/> is overwritten with the gradient before the ReLU.
    /// </summary>
    public void Backward(float[] input, float[] output, float[] outputGradient, float[]? inputGradient, int count)
    {
        if (Relu)
        {
            for (int i = 0; i < count * Outputs; i++)
            {
                if (output[i] <= 0f)
                {
                    outputGradient[i] = 0f;
                }
            }
        }

        Span<float> biasGradient = Bias.Gradient;
        biasGradient.Clear();
        for (int n = 0; n < count; n++)
        {
            TensorPrimitives.Add(biasGradient, outputGradient.AsSpan(n * Outputs, Outputs), biasGradient);
        }

        int chunks = (Inputs + BackwardRowChunk - 1) / BackwardRowChunk;
        Parallel.For(0, chunks, chunk =>
        {
            int k1 = Math.Min((chunk + 1) * BackwardRowChunk, Inputs);
            for (int k = chunk * BackwardRowChunk; k < k1; k++)
            {
                ReadOnlySpan<float> weights = Kernel.Value.AsSpan(k * Outputs, Outputs);
                Span<float> weightGradient = Kernel.Gradient.AsSpan(k * Outputs, Outputs);
                weightGradient.Clear();
                for (int n = 0; n < count; n++)
                {
                    float x = input[n * Inputs + k];
                    if (x == 0f)
                    {
                        if (inputGradient is not null)
                        {
                            inputGradient[n * Inputs + k] = 0f;
                        }

                        continue;
                    }

                    ReadOnlySpan<float> gradientRow = outputGradient.AsSpan(n * Outputs, Outputs);
                    TensorPrimitives.MultiplyAdd(gradientRow, x, weightGradient, weightGradient);
                    if (inputGradient is not null)
                    {
                        inputGradient[n * Inputs + k] = TensorPrimitives.Dot(gradientRow, weights);
                    }
                }
            }
        });
    }
}
