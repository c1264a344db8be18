using System.CommandLine;
using FeatureMaps.Samples.Cli;

var root = new RootCommand("featuremaps: see what a convolutional network sees. Runs images through an ONNX CNN and writes per-layer feature-map belts. " +
                           "Without a command it runs the bundled seed CNN over the sample photos into out/ (the options below apply).")
{
    RunCommand.Create(),
    ReportCommand.Create(),
    LayersCommand.Create(),
    BeltsCommand.Create(),
    CamCommand.Create(),
};
RunCommand.AttachDefaults(root);
return root.Parse(args).Invoke();
