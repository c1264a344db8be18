using System.Diagnostics;

namespace FeatureMaps.SeedTraining;

/// <summary>Mini-batch training on freshly rendered images, evaluated on the fixed held-out set after every epoch.</summary>
internal sealed class Trainer
{
    private readonly SeedCnn net;
    private readonly TrainingOptions options;
    private readonly TextWriter log;

    public Trainer(SeedCnn net, TrainingOptions options, TextWriter log)
    {
        this.net = net;
        this.options = options;
        this.log = log;
    }

    public TrainingOutcome Train(LabeledImages heldOut)
    {
        var workspace = new BatchWorkspace(net, options.BatchSize);
        var optimizer = new AdamOptimizer(net.Parameters, options.LearningRate);
        var batch = new float[options.BatchSize][];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = new float[SeedCnn.InputLength];
        }

        var labels = new int[options.BatchSize];
        var clock = Stopwatch.StartNew();
        int epoch = 0;
        double accuracy = 0;
        float[] heldOutProbabilities = [];
        while (epoch < options.MaxEpochs && accuracy < options.TargetAccuracy)
        {
            double lossSum = 0;
            for (int step = 0; step < options.StepsPerEpoch; step++)
            {
                int firstImage = step * options.BatchSize;
                Parallel.For(0, options.BatchSize, i =>
                {
                    // Each image has its own seeded generator: the batch is the same whichever thread renders it.
                    var rng = new Random(Seeds.Derive(options.Seed, Seeds.TrainingStream, epoch, firstImage + i));
                    labels[i] = rng.Next(net.ClassCount);
                    ShapeRenderer.Render(labels[i], rng, batch[i]);
                });

                net.Forward(workspace, batch);
                lossSum += net.Backward(workspace, labels);
                optimizer.Step();
            }

            epoch++;
            heldOutProbabilities = net.Predict(workspace, heldOut.Images);
            accuracy = heldOut.AccuracyOf(heldOutProbabilities);
            log.WriteLine(
                $"epoch {epoch,2}/{options.MaxEpochs}  loss {lossSum / options.StepsPerEpoch:F4}  " +
                $"held-out accuracy {accuracy:P1}  elapsed {clock.Elapsed.TotalSeconds:F0} s");
        }

        return new TrainingOutcome(epoch, epoch * options.StepsPerEpoch * options.BatchSize, accuracy, heldOutProbabilities, clock.Elapsed);
    }
}
