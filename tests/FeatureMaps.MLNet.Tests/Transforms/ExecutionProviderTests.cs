using FeatureMaps.MLNet.Onnx;
using FeatureMaps.MLNet.Transforms;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Tests.Transforms;

public class ExecutionProviderTests
{
    [Fact]
    public void Asking_for_CUDA_runs_on_CUDA_or_falls_back_to_the_CPU_with_a_reason()
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        IEstimator<ITransformer> Pipeline(int? gpu, bool fallback) => ml.Transforms.LoadAndResize("Image", "ImagePath", 150, 150)
            .Append(ml.Transforms.ExtractLayerOutputs(new ExtractLayerOutputsOptions { ModelPath = TestData.SeedModel, GpuDeviceId = gpu, FallbackToCpu = fallback }))
            .Append(ml.Transforms.NormalizeForDisplay()).Append(ml.Transforms.ComposeBelt());
        var cpu = SeedPipeline.First<byte>(Pipeline(null, true).Fit(images).Transform(images), "Belt.conv2d");

        var reason = ExecutionProviders.WhyCudaIsUnavailable();
        var cuda = SeedPipeline.First<byte>(Pipeline(0, true).Fit(images).Transform(images), "Belt.conv2d");
        if (reason is null)
        {
            // On a GPU, float reductions may round differently; the pictures must still agree almost everywhere.
            Assert.True(cpu.Zip(cuda, (a, b) => Math.Abs(a - b) > 1 ? 1 : 0).Sum() < cpu.Length / 1000);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            Assert.Equal(cpu, cuda); // fell back to the CPU
            Assert.ThrowsAny<Exception>(() => Pipeline(0, false).Fit(images));
        }
    }
}
