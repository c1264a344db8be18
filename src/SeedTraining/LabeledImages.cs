using System.Numerics.Tensors;

namespace FeatureMaps.SeedTraining;

/// <summary>Images (each NHWC [150, 150, 3], RGB in [0, 1]) with their class indices.</summary>
internal sealed record LabeledImages(float[][] Images, int[] Labels)
{
    public int Count => Labels.Length;

    /// <summary>Renders a class-balanced set from <paramref name="seed"/>; the same seed gives the same images.</summary>
    public static LabeledImages RenderHeldOut(int count, int seed)
    {
        var images = new float[count][];
        var labels = new int[count];
        Parallel.For(0, count, i =>
        {
            labels[i] = i % ShapeRenderer.ClassNames.Count;
            images[i] = new float[SeedCnn.InputLength];
            ShapeRenderer.Render(labels[i], new Random(Seeds.Derive(seed, Seeds.HeldOutStream, i)), images[i]);
        });
        return new LabeledImages(images, labels);
    }

    /// <summary>Fraction of images whose most probable class (rows of [count, classes]) is their label.</summary>
    public double AccuracyOf(ReadOnlySpan<float> probabilities)
    {
        int classes = probabilities.Length / Count;
        int correct = 0;
        for (int n = 0; n < Count; n++)
        {
            if (TensorPrimitives.IndexOfMax(probabilities.Slice(n * classes, classes)) == Labels[n])
            {
                correct++;
            }
        }

        return (double)correct / Count;
    }
}
