namespace FeatureMaps.SeedTraining;

/// <summary>What a training run reached; <paramref name="HeldOutProbabilities"/> is the trained net's output on the held-out set, [images, classes].</summary>
internal sealed record TrainingOutcome(
    int Epochs,
    int TrainingImages,
    double HeldOutAccuracy,
    float[] HeldOutProbabilities,
    TimeSpan Elapsed);
