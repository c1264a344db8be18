using System.Numerics.Tensors;

namespace FeatureMaps.SeedTraining;

/// <summary>The final softmax and the categorical cross-entropy loss trained against it.</summary>
internal static class SoftmaxCrossEntropy
{
    public static void Softmax(float[] logits, float[] probabilities, int count, int classes)
    {
        for (int n = 0; n < count; n++)
        {
            TensorPrimitives.SoftMax(logits.AsSpan(n * classes, classes), probabilities.AsSpan(n * classes, classes));
        }
    }

    /// <summary>
    /// Returns the mean loss over the batch and writes dLoss/dLogits = (p - onehot) / count, the combined
    /// softmax + cross-entropy gradient (simpler and better conditioned than chaining the two).
    /// </summary>
    public static float LossAndGradient(float[] probabilities, ReadOnlySpan<int> labels, float[] logitGradient, int classes)
    {
        int count = labels.Length;
        double loss = 0;
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < classes; c++)
            {
                float p = probabilities[n * classes + c];
                logitGradient[n * classes + c] = (p - (c == labels[n] ? 1f : 0f)) / count;
            }

            // The floor avoids log(0) = -inf if a wrong prediction has fully saturated.
            loss -= Math.Log(Math.Max(probabilities[n * classes + labels[n]], 1e-12f));
        }

        return (float)(loss / count);
    }
}
