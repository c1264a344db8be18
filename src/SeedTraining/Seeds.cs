namespace FeatureMaps.SeedTraining;

/// <summary>
/// Derives independent, reproducible RNG seeds from a tuple such as (run seed, stream, epoch, image).
/// Every image gets its own <see cref="Random"/>, so what is rendered does not depend on which thread renders it.
/// </summary>
internal static class Seeds
{
    /// <summary>Held-out images come from their own stream so they never coincide with a training image.</summary>
    public const int HeldOutStream = 1;

    public const int TrainingStream = 2;

    public static int Derive(params ReadOnlySpan<int> parts)
    {
        // SplitMix64 finaliser over the parts (string.GetHashCode/HashCode are randomised per process).
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (int part in parts)
        {
            state = Mix(state ^ (uint)part);
        }

        return (int)(state >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
