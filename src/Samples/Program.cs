using System.CommandLine;
using FeatureMaps.Samples.Cli;

var root = new RootCommand("featuremaps: see what a convolutional network sees. Runs images through an ONNX CNN and writes per-layer feature-map belts.")
{
    LayersCommand.Create(),
    BeltsCommand.Create(),
};
return root.Parse(args).Invoke();
