namespace FeatureMaps.SeedTraining;

/// <summary>Hyper-parameters and stopping rule of one training run.</summary>
/// <param name="TargetAccuracy">Training stops after the first epoch whose held-out accuracy reaches this.</param>
internal sealed record TrainingOptions(
    int Seed,
    int MaxEpochs,
    int StepsPerEpoch,
    int BatchSize,
    float LearningRate,
    double TargetAccuracy);
