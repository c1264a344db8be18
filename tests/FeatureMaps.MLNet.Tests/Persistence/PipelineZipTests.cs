using System.IO.Compression;
using System.Text;
using FeatureMaps.MLNet.Persistence;
using FeatureMaps.MLNet.Tests.Cli;
using FeatureMaps.MLNet.Tests.Transforms;
using FeatureMaps.Samples.Cli;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FeatureMaps.MLNet.Tests.Persistence;

public class PipelineZipTests
{
    [Fact]
    public void A_fresh_process_loads_the_zip_and_makes_byte_identical_belts_after_the_onnx_file_is_gone()
    {
        using var temp = new TempFolder();
        var modelCopy = temp.File("seed-copy.onnx");
        File.Copy(TestData.SeedModel, modelCopy);
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var fitted = SeedPipeline.Build(ml, modelCopy, channelsPerRow: 4, spacing: 1).Fit(images);
        var expected = fitted.Transform(images);
        var zip = temp.File("featuremaps.zip");
        ml.Model.Save(fitted, images.Schema, zip);
        File.Delete(modelCopy);

        var output = temp.File("belts");
        var result = CliProcess.Run("belts", "--pipeline", zip, "--image", TestData.Chelsea, "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var beltColumns = expected.Schema.Where(c => c.Name.StartsWith("Belt.", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, beltColumns.Count);
        foreach (var column in beltColumns)
        {
            var dims = ((VectorDataViewType)column.Type).Dimensions;
            var (height, width, pixels) = Pgm.Read(Path.Combine(output, column.Name["Belt.".Length..] + ".pgm"));
            Assert.Equal((dims[0], dims[1]), (height, width));
            Assert.Equal(expected.GetColumn<VBuffer<byte>>(column).First().DenseValues().ToArray(), pixels);
        }
    }

    [Fact]
    public void The_zip_loads_in_another_context_of_this_process_after_registration()
    {
        using var temp = new TempFolder();
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var fitted = SeedPipeline.Build(ml).Fit(images);
        var zip = temp.File("featuremaps.zip");
        ml.Model.Save(fitted, images.Schema, zip);

        var other = new MLContext();
        other.RegisterFeatureMaps(zip);
        var loaded = other.Model.Load(zip, out var schema);

        Assert.Equal("ImagePath", Assert.Single(schema).Name);
        Assert.Equal(SeedPipeline.First<byte>(fitted.Transform(images), "Belt.conv2d"),
            SeedPipeline.First<byte>(loaded.Transform(SeedPipeline.Images(other, TestData.Chelsea)), "Belt.conv2d"));
    }

    [Fact]
    public void The_models_class_names_can_be_read_from_the_zip()
    {
        using var temp = new TempFolder();
        var metadata = FeatureMapsModel.ReadModelMetadata(SaveSeedZip(temp));
        Assert.Equal("circle,square,triangle", metadata["classes"]);
        Assert.DoesNotContain(metadata.Keys, k => k.StartsWith("featuremaps.", StringComparison.Ordinal));
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public void A_zip_from_a_newer_format_is_refused_with_a_clear_message()
    {
        using var temp = new TempFolder();
        var zip = SaveSeedZip(temp);
        RewriteEntries(zip, "Model.key", bytes => Replace(bytes, Encoding.Unicode.GetBytes("LoadAndResize/1?"), Encoding.Unicode.GetBytes("LoadAndResize/9?")));

        var error = Assert.Throws<NotSupportedException>(() => new MLContext().RegisterFeatureMaps(zip));
        Assert.Contains("newer FeatureMaps.MLNet (pipeline format 9)", error.Message);
        Assert.Contains("featuremaps.zip", error.Message);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public void A_truncated_zip_is_refused_with_a_clear_message()
    {
        using var temp = new TempFolder();
        var zip = SaveSeedZip(temp);
        var bytes = File.ReadAllBytes(zip);
        File.WriteAllBytes(zip, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().RegisterFeatureMaps(zip));
        Assert.Contains("Cannot read pipeline zip", error.Message);
        Assert.Contains("featuremaps.zip", error.Message);
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public void An_edited_graph_inside_the_zip_is_refused()
    {
        using var temp = new TempFolder();
        var zip = SaveSeedZip(temp);
        RewriteEntries(zip, "OnnxModel", bytes => bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().RegisterFeatureMaps(zip));
        Assert.Contains("truncated", error.Message);
    }

    private static string SaveSeedZip(TempFolder temp)
    {
        var ml = new MLContext();
        var images = SeedPipeline.Images(ml, TestData.Chelsea);
        var zip = temp.File("featuremaps.zip");
        ml.Model.Save(SeedPipeline.Build(ml).Fit(images), images.Schema, zip);
        return zip;
    }

    private static void RewriteEntries(string zip, string entryName, Func<byte[], byte[]> rewrite)
    {
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Update);
        foreach (var entry in archive.Entries.Where(e => e.Name == entryName).ToList())
        {
            byte[] bytes;
            using (var stream = entry.Open())
            using (var buffer = new MemoryStream())
            {
                stream.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            var name = entry.FullName;
            entry.Delete();
            using var rewritten = archive.CreateEntry(name).Open();
            rewritten.Write(rewrite(bytes));
        }
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] replacement)
    {
        var text = Convert.ToHexString(bytes);
        return Convert.FromHexString(text.Replace(Convert.ToHexString(find), Convert.ToHexString(replacement), StringComparison.Ordinal));
    }
}
