using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using FeatureMaps.SeedTraining;

// Trains the Keras-tutorial CNN on synthetic shapes and writes it as ONNX, verified with ONNX Runtime.
// Usage: dotnet run --project src/SeedTraining -c Release [--out models/seed-cnn.onnx] [--seed N] [--max-epochs N]
const double RequiredAccuracy = 0.90;
const float MaxAllowedDifference = 1e-4f;
const int HeldOutImages = 600;

string outputPath = Path.Combine("models", "seed-cnn.onnx");
int seed = 1234;
int maxEpochs = 30;
for (int i = 0; i < args.Length; i++)
{
    string? value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--out" when value is not null:
            outputPath = value;
            break;
        case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out int parsedSeed):
            seed = parsedSeed;
            break;
        case "--max-epochs" when int.TryParse(value, CultureInfo.InvariantCulture, out int parsedEpochs) && parsedEpochs > 0:
            maxEpochs = parsedEpochs;
            break;
        default:
            Console.Error.WriteLine("Usage: SeedTraining [--out models/seed-cnn.onnx] [--seed N] [--max-epochs N]");
            return 2;
    }

    i++;
}

outputPath = Path.GetFullPath(outputPath);
Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
IReadOnlyList<string> classNames = ShapeRenderer.ClassNames;
var options = new TrainingOptions(seed, maxEpochs, StepsPerEpoch: 100, BatchSize: 32, LearningRate: 1e-3f, TargetAccuracy: 0.95);
Console.WriteLine($"Seed {seed}, classes {string.Join(", ", classNames)}, {Environment.ProcessorCount} cores, Vector<float> of {Vector<float>.Count}.");

LabeledImages heldOut = LabeledImages.RenderHeldOut(HeldOutImages, seed);
var net = new SeedCnn(classNames.Count, seed);
TrainingOutcome outcome = new Trainer(net, options, Console.Out).Train(heldOut);
Console.WriteLine(
    $"Trained on {outcome.TrainingImages} images in {outcome.Epochs} epochs, {outcome.Elapsed.TotalSeconds:F0} s; " +
    $"held-out accuracy {outcome.HeldOutAccuracy:P2}.");
if (outcome.HeldOutAccuracy < RequiredAccuracy)
{
    Console.Error.WriteLine($"Held-out accuracy is below the required {RequiredAccuracy:P0}; no model written.");
    return 1;
}

// Export next to the target and move into place only once verified, so a failed run never leaves a bad model behind.
string candidatePath = outputPath + ".tmp";
try
{
    OnnxExporter.Save(OnnxExporter.Build(net, classNames), candidatePath);
    OnnxVerifier.CheckDeclaredShapes(candidatePath, classNames);
    float[] onnxProbabilities = OnnxVerifier.RunOnnxRuntime(candidatePath, heldOut.Images, net.ClassCount);
    double onnxAccuracy = heldOut.AccuracyOf(onnxProbabilities);
    var difference = new float[onnxProbabilities.Length];
    TensorPrimitives.Subtract(onnxProbabilities, outcome.HeldOutProbabilities, difference);
    float maxDifference = Math.Abs(TensorPrimitives.MaxMagnitude(difference));
    Console.WriteLine($"ONNX Runtime: held-out accuracy {onnxAccuracy:P2}, max |ORT - own| over the probabilities of all {HeldOutImages} images {maxDifference:E2}.");
    if (onnxAccuracy < RequiredAccuracy || !(maxDifference < MaxAllowedDifference))
    {
        Console.Error.WriteLine($"Verification failed (needs accuracy >= {RequiredAccuracy:P0} and difference < {MaxAllowedDifference:E0}).");
        return 1;
    }

    File.Move(candidatePath, outputPath, overwrite: true);
    string reportPath = Path.ChangeExtension(outputPath, ".training.json");
    new TrainingReport(
        outcome.HeldOutAccuracy,
        onnxAccuracy,
        maxDifference,
        HeldOutImages,
        outcome.TrainingImages,
        outcome.Epochs,
        options.BatchSize,
        options.LearningRate,
        Math.Round(outcome.Elapsed.TotalSeconds, 1),
        seed,
        classNames).Save(reportPath);
    Console.WriteLine($"Wrote {outputPath} ({new FileInfo(outputPath).Length / 1e6:F1} MB) and {reportPath}.");
    return 0;
}
finally
{
    File.Delete(candidatePath);
}
