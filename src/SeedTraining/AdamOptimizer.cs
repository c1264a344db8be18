using System.Numerics;

namespace FeatureMaps.SeedTraining;

/// <summary>Adam (Kingma and Ba) with Keras' defaults, applied to each parameter's current gradient.</summary>
internal sealed class AdamOptimizer
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;

    /// <summary>Keras' epsilon (1e-7 rather than the paper's 1e-8).</summary>
    private const float Epsilon = 1e-7f;

    /// <summary>Elements per parallel work item, so the 9.5M-element dense kernel is split across cores.</summary>
    private const int Chunk = 1 << 16;

    private readonly (Parameter Parameter, float[] Mean, float[] Variance)[] states;
    private readonly float learningRate;
    private int step;

    public AdamOptimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        states = [.. parameters.Select(p => (p, new float[p.Length], new float[p.Length]))];
        this.learningRate = learningRate;
    }

    public void Step()
    {
        step++;

        // Bias correction folded into the step size, as in the paper's efficient formulation.
        float correctedRate = learningRate * MathF.Sqrt(1f - MathF.Pow(Beta2, step)) / (1f - MathF.Pow(Beta1, step));
        foreach ((Parameter parameter, float[] mean, float[] variance) in states)
        {
            int chunks = (parameter.Length + Chunk - 1) / Chunk;
            Parallel.For(0, chunks, chunk =>
            {
                int start = chunk * Chunk;
                Update(
                    parameter.Value.AsSpan(start, Math.Min(Chunk, parameter.Length - start)),
                    parameter.Gradient.AsSpan(start),
                    mean.AsSpan(start),
                    variance.AsSpan(start),
                    correctedRate);
            });
        }
    }

    private static void Update(Span<float> weights, ReadOnlySpan<float> gradients, Span<float> mean, Span<float> variance, float rate)
    {
        int lanes = Vector<float>.Count;
        int i = 0;
        for (; i + lanes <= weights.Length; i += lanes)
        {
            var g = new Vector<float>(gradients[i..]);
            Vector<float> m = (Beta1 * new Vector<float>(mean[i..])) + ((1f - Beta1) * g);
            Vector<float> v = (Beta2 * new Vector<float>(variance[i..])) + ((1f - Beta2) * g * g);
            m.CopyTo(mean[i..]);
            v.CopyTo(variance[i..]);
            (new Vector<float>(weights[i..]) - (rate * m / (Vector.SquareRoot(v) + new Vector<float>(Epsilon)))).CopyTo(weights[i..]);
        }

        for (; i < weights.Length; i++)
        {
            float g = gradients[i];
            mean[i] = (Beta1 * mean[i]) + ((1f - Beta1) * g);
            variance[i] = (Beta2 * variance[i]) + ((1f - Beta2) * g * g);
            weights[i] -= rate * mean[i] / (MathF.Sqrt(variance[i]) + Epsilon);
        }
    }
}
