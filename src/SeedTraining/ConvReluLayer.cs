using System.Numerics;

namespace FeatureMaps.SeedTraining;

/// <summary>
/// Keras <c>Conv2D(filters, 3, activation="relu")</c>: 3x3 'valid' convolution, stride 1, bias, ReLU,
/// applied to one NHWC image at a time (the caller parallelises over the images of a batch).
/// </summary>
/// <remarks>
/// The kernels vectorise over channels, so the output channel count (and, where the input gradient is
/// needed, the input channel count) must be a multiple of <see cref="Vector{T}.Count"/>. They also work on
/// four neighbouring output pixels at once: four independent accumulators hide the FMA latency and share
/// each weight load. In NHWC a kernel row's (kx, ci) elements are contiguous, so one 3*Cin run per kernel
/// row covers the whole receptive field without an im2col copy.
/// </remarks>
internal sealed unsafe class ConvReluLayer
{
    private const int KernelSize = 3;
    private const int PixelBlock = 4;
    private static readonly int Lanes = Vector<float>.Count;

    /// <summary>The kernel as [ky, kx, co, ci], so the input gradient can be vectorised over ci.</summary>
    private readonly float[] transposedKernel;

    public ConvReluLayer(string name, int inHeight, int inWidth, int inChannels, int outChannels)
    {
        if (outChannels % Lanes != 0)
        {
            throw new ArgumentException($"{name}: {outChannels} output channels is not a multiple of {Lanes}.");
        }

        Name = name;
        InHeight = inHeight;
        InWidth = inWidth;
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = new Parameter($"{name}/kernel", [KernelSize, KernelSize, inChannels, outChannels]);
        Bias = new Parameter($"{name}/bias", [outChannels]);
        transposedKernel = new float[Kernel.Length];
    }

    public string Name { get; }

    public int InHeight { get; }

    public int InWidth { get; }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int OutHeight => InHeight - KernelSize + 1;

    public int OutWidth => InWidth - KernelSize + 1;

    public int InputLength => InHeight * InWidth * InChannels;

    public int OutputLength => OutHeight * OutWidth * OutChannels;

    /// <summary>Kernel in Keras' HWIO layout: [3, 3, in, out].</summary>
    public Parameter Kernel { get; }

    public Parameter Bias { get; }

    public int FanIn => KernelSize * KernelSize * InChannels;

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int rowLength = KernelSize * InChannels;
        fixed (float* pIn = input, pOut = output, pKernel = Kernel.Value, pBias = Bias.Value)
        {
            for (int y = 0; y < OutHeight; y++)
            {
                int x = 0;
                for (; x + PixelBlock <= OutWidth; x += PixelBlock)
                {
                    for (int v = 0; v < OutChannels; v += Lanes)
                    {
                        Vector<float> bias = Vector.Load(pBias + v);
                        Vector<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                        for (int ky = 0; ky < KernelSize; ky++)
                        {
                            float* src = pIn + ((y + ky) * InWidth + x) * InChannels;
                            float* weights = pKernel + ky * rowLength * OutChannels + v;
                            for (int j = 0; j < rowLength; j++, weights += OutChannels)
                            {
                                Vector<float> w = Vector.Load(weights);
                                a0 = Vector.FusedMultiplyAdd(new Vector<float>(src[j]), w, a0);
                                a1 = Vector.FusedMultiplyAdd(new Vector<float>(src[j + InChannels]), w, a1);
                                a2 = Vector.FusedMultiplyAdd(new Vector<float>(src[j + 2 * InChannels]), w, a2);
                                a3 = Vector.FusedMultiplyAdd(new Vector<float>(src[j + 3 * InChannels]), w, a3);
                            }
                        }

                        float* dst = pOut + (y * OutWidth + x) * OutChannels + v;
                        Vector.Store(Vector.Max(a0, Vector<float>.Zero), dst);
                        Vector.Store(Vector.Max(a1, Vector<float>.Zero), dst + OutChannels);
                        Vector.Store(Vector.Max(a2, Vector<float>.Zero), dst + 2 * OutChannels);
                        Vector.Store(Vector.Max(a3, Vector<float>.Zero), dst + 3 * OutChannels);
                    }
                }

                for (; x < OutWidth; x++)
                {
                    for (int v = 0; v < OutChannels; v += Lanes)
                    {
                        Vector<float> a = Vector.Load(pBias + v);
                        for (int ky = 0; ky < KernelSize; ky++)
                        {
                            float* src = pIn + ((y + ky) * InWidth + x) * InChannels;
                            float* weights = pKernel + ky * rowLength * OutChannels + v;
                            for (int j = 0; j < rowLength; j++, weights += OutChannels)
                            {
                                a = Vector.FusedMultiplyAdd(new Vector<float>(src[j]), Vector.Load(weights), a);
                            }
                        }

                        Vector.Store(Vector.Max(a, Vector<float>.Zero), pOut + (y * OutWidth + x) * OutChannels + v);
                    }
                }
            }
        }
    }

    /// <summary>Refreshes the transposed kernel from the current weights; call once per batch before <see cref="Backward"/>.</summary>
    public void PrepareBackward()
    {
        float[] kernel = Kernel.Value;
        for (int tap = 0; tap < KernelSize * KernelSize; tap++)
        {
            int tapBase = tap * InChannels * OutChannels;
            for (int ci = 0; ci < InChannels; ci++)
            {
                for (int co = 0; co < OutChannels; co++)
                {
                    transposedKernel[tapBase + co * InChannels + ci] = kernel[tapBase + ci * OutChannels + co];
                }
            }
        }
    }

    /// <summary>
    /// Back-propagates one image. <paramref name="outputGradient"/> is overwritten with the gradient before
    /// the ReLU; the kernel and bias gradients are written (not accumulated) into the given per-image slots so
    /// the caller can sum them in a fixed order. Pass an empty <paramref name="inputGradient"/> for the first layer.
    /// </summary>
    public void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        Span<float> outputGradient,
        Span<float> kernelGradient,
        Span<float> biasGradient,
        Span<float> inputGradient)
    {
        MaskByRelu(output, outputGradient);
        SumBiasGradient(outputGradient, biasGradient);
        ComputeKernelGradient(input, outputGradient, kernelGradient);
        if (!inputGradient.IsEmpty)
        {
            ComputeInputGradient(outputGradient, inputGradient);
        }
    }

    private static void MaskByRelu(ReadOnlySpan<float> output, Span<float> gradient)
    {
        fixed (float* pOut = output, pGrad = gradient)
        {
            for (int i = 0; i < output.Length; i += Lanes)
            {
                Vector<int> active = Vector.GreaterThan(Vector.Load(pOut + i), Vector<float>.Zero);
                Vector.Store(Vector.ConditionalSelect(active, Vector.Load(pGrad + i), Vector<float>.Zero), pGrad + i);
            }
        }
    }

    private void SumBiasGradient(ReadOnlySpan<float> outputGradient, Span<float> biasGradient)
    {
        biasGradient.Clear();
        fixed (float* pGrad = outputGradient, pBias = biasGradient)
        {
            for (int v = 0; v < OutChannels; v += Lanes)
            {
                Vector<float> sum = Vector<float>.Zero;
                for (int pixel = 0; pixel < OutHeight * OutWidth; pixel++)
                {
                    sum += Vector.Load(pGrad + pixel * OutChannels + v);
                }

                Vector.Store(sum, pBias + v);
            }
        }
    }

    /// <summary>dW[ky, kx, ci, co] = sum over output pixels of input[y + ky, x + kx, ci] * dOut[y, x, co], one output row at a time so it stays in L1.</summary>
    private void ComputeKernelGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> kernelGradient)
    {
        kernelGradient.Clear();
        int rowLength = KernelSize * InChannels;
        fixed (float* pIn = input, pGrad = outputGradient, pKernelGrad = kernelGradient)
        {
            for (int y = 0; y < OutHeight; y++)
            {
                float* gradRow = pGrad + y * OutWidth * OutChannels;
                for (int ky = 0; ky < KernelSize; ky++)
                {
                    float* inRow = pIn + (y + ky) * InWidth * InChannels;
                    for (int j = 0; j < rowLength; j++)
                    {
                        float* src = inRow + j;
                        for (int v = 0; v < OutChannels; v += Lanes)
                        {
                            Vector<float> a0 = Vector<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
                            float* g = gradRow + v;
                            int x = 0;
                            for (; x + PixelBlock <= OutWidth; x += PixelBlock)
                            {
                                a0 = Vector.FusedMultiplyAdd(new Vector<float>(src[x * InChannels]), Vector.Load(g + x * OutChannels), a0);
                                a1 = Vector.FusedMultiplyAdd(new Vector<float>(src[(x + 1) * InChannels]), Vector.Load(g + (x + 1) * OutChannels), a1);
                                a2 = Vector.FusedMultiplyAdd(new Vector<float>(src[(x + 2) * InChannels]), Vector.Load(g + (x + 2) * OutChannels), a2);
                                a3 = Vector.FusedMultiplyAdd(new Vector<float>(src[(x + 3) * InChannels]), Vector.Load(g + (x + 3) * OutChannels), a3);
                            }

                            for (; x < OutWidth; x++)
                            {
                                a0 = Vector.FusedMultiplyAdd(new Vector<float>(src[x * InChannels]), Vector.Load(g + x * OutChannels), a0);
                            }

                            float* dst = pKernelGrad + (ky * rowLength + j) * OutChannels + v;
                            Vector.Store(Vector.Load(dst) + ((a0 + a1) + (a2 + a3)), dst);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Scatters dIn[y + ky, x + kx, ci] += sum over co of dOut[y, x, co] * W[ky, kx, ci, co], vectorised over ci.</summary>
    private void ComputeInputGradient(ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (InChannels % Lanes != 0)
        {
            throw new InvalidOperationException($"{Name}: the input gradient needs a multiple of {Lanes} input channels.");
        }

        inputGradient.Clear();
        fixed (float* pGrad = outputGradient, pInGrad = inputGradient, pKernelT = transposedKernel)
        {
            for (int y = 0; y < OutHeight; y++)
            {
                int x = 0;
                for (; x + PixelBlock <= OutWidth; x += PixelBlock)
                {
                    float* g = pGrad + (y * OutWidth + x) * OutChannels;
                    for (int ky = 0; ky < KernelSize; ky++)
                    {
                        for (int kx = 0; kx < KernelSize; kx++)
                        {
                            float* weightsTap = pKernelT + (ky * KernelSize + kx) * OutChannels * InChannels;
                            for (int civ = 0; civ < InChannels; civ += Lanes)
                            {
                                float* dst = pInGrad + ((y + ky) * InWidth + x + kx) * InChannels + civ;
                                Vector<float> a0 = Vector.Load(dst);
                                Vector<float> a1 = Vector.Load(dst + InChannels);
                                Vector<float> a2 = Vector.Load(dst + 2 * InChannels);
                                Vector<float> a3 = Vector.Load(dst + 3 * InChannels);
                                float* weights = weightsTap + civ;
                                for (int co = 0; co < OutChannels; co++, weights += InChannels)
                                {
                                    Vector<float> w = Vector.Load(weights);
                                    a0 = Vector.FusedMultiplyAdd(new Vector<float>(g[co]), w, a0);
                                    a1 = Vector.FusedMultiplyAdd(new Vector<float>(g[OutChannels + co]), w, a1);
                                    a2 = Vector.FusedMultiplyAdd(new Vector<float>(g[2 * OutChannels + co]), w, a2);
                                    a3 = Vector.FusedMultiplyAdd(new Vector<float>(g[3 * OutChannels + co]), w, a3);
                                }

                                Vector.Store(a0, dst);
                                Vector.Store(a1, dst + InChannels);
                                Vector.Store(a2, dst + 2 * InChannels);
                                Vector.Store(a3, dst + 3 * InChannels);
                            }
                        }
                    }
                }

                for (; x < OutWidth; x++)
                {
                    float* g = pGrad + (y * OutWidth + x) * OutChannels;
                    for (int ky = 0; ky < KernelSize; ky++)
                    {
                        for (int kx = 0; kx < KernelSize; kx++)
                        {
                            float* weightsTap = pKernelT + (ky * KernelSize + kx) * OutChannels * InChannels;
                            for (int civ = 0; civ < InChannels; civ += Lanes)
                            {
                                float* dst = pInGrad + ((y + ky) * InWidth + x + kx) * InChannels + civ;
                                Vector<float> a = Vector.Load(dst);
                                float* weights = weightsTap + civ;
                                for (int co = 0; co < OutChannels; co++, weights += InChannels)
                                {
                                    a = Vector.FusedMultiplyAdd(new Vector<float>(g[co]), Vector.Load(weights), a);
                                }

                                Vector.Store(a, dst);
                            }
                        }
                    }
                }
            }
        }
    }
}
