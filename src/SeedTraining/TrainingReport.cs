using System.Text.Json;

namespace FeatureMaps.SeedTraining;

/// <summary>The facts of a training run, written next to the model as <c>*.training.json</c>.</summary>
internal sealed record TrainingReport(
    double HeldOutAccuracy,
    double OnnxHeldOutAccuracy,
    float MaxAbsDifferenceOnnxVsOwn,
    int HeldOutImages,
    int TrainingImages,
    int Epochs,
    int BatchSize,
    float LearningRate,
    double TrainingSeconds,
    int Seed,
    IReadOnlyList<string> Classes)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
}
