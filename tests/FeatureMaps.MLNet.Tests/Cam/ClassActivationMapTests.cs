using System.Diagnostics;
using FeatureMaps.MLNet.Transforms;
using Xunit.Abstractions;

namespace FeatureMaps.MLNet.Tests.Cam;

public class ClassActivationMapTests(ITestOutputHelper output)
{
    public static TheoryData<string, CamMethod> Everything => new()
    {
        { "seed", CamMethod.Eigen }, { "seed", CamMethod.Score }, { "seed", CamMethod.Occlusion },
        { "squeezenet", CamMethod.Eigen }, { "squeezenet", CamMethod.Occlusion },
        { "resnet18", CamMethod.Eigen }, { "resnet18", CamMethod.Score }, { "resnet18", CamMethod.Occlusion },
    };

    [Theory]
    [MemberData(nameof(Everything))]
    public void Smoke(string model, CamMethod method)
    {
        var classifier = model switch { "seed" => CamModels.Seed, "squeezenet" => CamModels.SqueezeNet, _ => CamModels.ResNet18 };
        var watch = Stopwatch.StartNew();
        var map = CamModels.Run(classifier, classifier.Options(method), TestData.Chelsea).Single();
        output.WriteLine($"{model} {method}: {map.Height}x{map.Width} class {map.Class} score {map.Score} peak {map.Peak()} min {map.Values.Min()} max {map.Values.Max()} in {watch.ElapsedMilliseconds} ms");
    }
}
