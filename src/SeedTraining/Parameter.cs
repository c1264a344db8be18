namespace FeatureMaps.SeedTraining;

/// <summary>A trainable tensor and the gradient of the current mini-batch's loss with respect to it.</summary>
internal sealed class Parameter
{
    public Parameter(string name, int[] shape)
    {
        Name = name;
        Shape = shape;
        int length = shape.Aggregate(1, (product, dim) => product * dim);
        Value = new float[length];
        Gradient = new float[length];
    }

    /// <summary>Keras-style weight name, reused as the ONNX initializer name.</summary>
    public string Name { get; }

    /// <summary>Shape in the training layout (HWIO for conv kernels, [in, out] for dense kernels).</summary>
    public int[] Shape { get; }

    public float[] Value { get; }

    public float[] Gradient { get; }

    public int Length => Value.Length;

    /// <summary>He-normal initialisation, suited to the ReLU that follows every layer but the last.</summary>
    public void InitializeHeNormal(int fanIn, Random rng)
    {
        double std = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < Value.Length; i++)
        {
            // Box-Muller; 1 - NextDouble() keeps the logarithm's argument away from zero.
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            Value[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
