using System.Diagnostics;
using System.IO.Compression;
using FeatureMaps.MLNet.Tests.Transforms;
using Microsoft.ML;

namespace FeatureMaps.MLNet.Tests.Packaging;

/// <summary>
/// The library as users get it: packed into a local feed, referenced by a fresh console project, run on one
/// image. Catches missing files in the package and broken transitive dependencies.
/// </summary>
public class NuGetPackageTests
{
    [Fact]
    public void A_fresh_console_project_compiles_and_runs_the_readme_pipeline_from_the_package()
    {
        using var temp = new TempFolder();
        var feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        Run("dotnet", TestData.RepoRoot, "pack", "src/FeatureMaps.MLNet/FeatureMaps.MLNet.csproj", "-c", "Release", "-o", feed, "-p:Version=0.0.1-test");

        var package = Path.Combine(feed, "FeatureMaps.MLNet.0.0.1-test.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/FeatureMaps.MLNet.dll", entries);
            Assert.Contains("lib/net10.0/FeatureMaps.MLNet.xml", entries);
            Assert.Contains("README.md", entries);
        }
        Assert.True(File.Exists(Path.Combine(feed, "FeatureMaps.MLNet.0.0.1-test.snupkg")));

        var app = Directory.CreateDirectory(temp.File("app")).FullName;
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FeatureMaps.MLNet" Version="0.0.1-test" />
              </ItemGroup>
            </Project>
            """);
        // The README's pipeline, verbatim but for the file names, is the program: the docs cannot rot.
        File.WriteAllText(Path.Combine(app, "Program.cs"), "using Microsoft.ML.Data;\n" + ReadmePipeline()
            .Replace("\"cat.png\"", "args[1]").Replace("\"models/seed-cnn.onnx\"", "args[0]").Replace("\"featuremaps.zip\"", "args[2]") + """

            var result = model.Transform(images);
            foreach (var column in result.Schema.Where(c => c.Name.StartsWith("Belt.")))
            {
                var belt = result.GetColumn<VBuffer<byte>>(column).First().DenseValues().ToArray();
                Console.WriteLine($"{column.Name} {belt.Length} {belt.Sum(b => (long)b)}");
            }
            Console.WriteLine($"zip {new FileInfo(args[2]).Length}");

            class ImageRow { public string ImagePath { get; set; } = ""; }
            """);

        var output = Run("dotnet", app, "run", "-c", "Release", "--", TestData.SeedModel, TestData.Chelsea, temp.File("featuremaps.zip"));

        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var expected = SeedPipeline.Build(ml).Fit(images).Transform(images);
        foreach (var layer in new[] { "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2" })
        {
            var belt = SeedPipeline.First<byte>(expected, "Belt." + layer);
            Assert.Contains($"Belt.{layer} {belt.Length} {belt.Sum(b => (long)b)}", output);
        }
        Assert.Contains("zip ", output);
    }

    private static string ReadmePipeline()
    {
        var readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md"));
        var section = readme.IndexOf("## The pipeline in code", StringComparison.Ordinal);
        var start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static string Run(string file, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The outer test run's MSBuild settings must not leak into the nested builds.
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var log = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed:\n{log}");
        return log;
    }
}
