namespace FeatureMaps.SeedTraining;

/// <summary>Keras <c>MaxPooling2D(2)</c>: 2x2 windows, stride 2, 'valid' (odd trailing rows/columns dropped), on one NHWC image.</summary>
internal sealed class MaxPoolLayer
{
    public MaxPoolLayer(string name, int inHeight, int inWidth, int channels)
    {
        Name = name;
        InHeight = inHeight;
        InWidth = inWidth;
        Channels = channels;
    }

    public string Name { get; }

    public int InHeight { get; }

    public int InWidth { get; }

    public int Channels { get; }

    public int OutHeight => InHeight / 2;

    public int OutWidth => InWidth / 2;

    public int InputLength => InHeight * InWidth * Channels;

    public int OutputLength => OutHeight * OutWidth * Channels;

    /// <summary>Writes the window maxima and, for the backward pass, the input index each maximum came from.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<int> argMax)
    {
        int rowStride = InWidth * Channels;
        for (int oy = 0; oy < OutHeight; oy++)
        {
            for (int ox = 0; ox < OutWidth; ox++)
            {
                int topLeft = (2 * oy * InWidth + 2 * ox) * Channels;
                int outBase = (oy * OutWidth + ox) * Channels;
                for (int c = 0; c < Channels; c++)
                {
                    int best = topLeft + c;
                    foreach (int candidate in (ReadOnlySpan<int>)[best + Channels, best + rowStride, best + rowStride + Channels])
                    {
                        // Strict '>' keeps the first maximum on ties, so exactly one input receives the gradient.
                        if (input[candidate] > input[best])
                        {
                            best = candidate;
                        }
                    }

                    output[outBase + c] = input[best];
                    argMax[outBase + c] = best;
                }
            }
        }
    }

    public void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argMax, Span<float> inputGradient)
    {
        inputGradient.Clear();
        for (int i = 0; i < outputGradient.Length; i++)
        {
            inputGradient[argMax[i]] = outputGradient[i];
        }
    }
}
