using System.CommandLine;
using System.Text.Json;
using FeatureMaps.MLNet.Onnx;

namespace FeatureMaps.Samples.Cli;

/// <summary><c>featuremaps layers model.onnx [--all] [--json]</c>: what tensors a model's layers produce.</summary>
internal static class LayersCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The ONNX model file." };
        var all = new Option<bool>("--all") { Description = "List every computed tensor, converter plumbing (layout Transposes, Casts) included." };
        var json = new Option<bool>("--json") { Description = "Write JSON instead of a table." };
        var command = new Command("layers", "List the layers of an ONNX model with op type, element type and shape.") { model, all, json };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var description = OnnxModelInspector.Inspect(parse.GetValue(model)!.FullName);
            var rows = parse.GetValue(all) ? description.Tensors : description.Layers;
            if (parse.GetValue(json)) WriteJson(description, rows, Console.Out);
            else WriteTable(description, rows, Console.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static void WriteTable(OnnxModelDescription model, IReadOnlyList<LayerTensor> rows, TextWriter output)
    {
        output.WriteLine($"Model: {model.ModelPath} (opset {model.Opset})");
        foreach (var input in model.Inputs)
            output.WriteLine($"Input: {input.Name} {input.ElementKind.DisplayName()} [{string.Join(", ", input.Shape)}] {input.Layout}");
        var nameWidth = Math.Min(48, rows.Select(r => r.Layer.Length).DefaultIfEmpty(5).Max());
        output.WriteLine($"{"#",3}  {"Layer".PadRight(nameWidth)}  {"Op",-18} {"Type",-8} {"Output shape",-16} Note");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            output.WriteLine($"{i,3}  {r.Layer.PadRight(nameWidth)}  {r.OpType,-18} {r.ElementKind.DisplayName(),-8} {r.DisplayShape,-16} {r.SkipReason ?? (r.IsFeatureMap ? $"feature maps ({r.Layout})" : "")}");
        }
    }

    internal static void WriteJson(OnnxModelDescription model, IReadOnlyList<LayerTensor> rows, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model.ModelPath);
            w.WriteNumber("opset", model.Opset);
            w.WriteStartArray("inputs");
            foreach (var input in model.Inputs)
            {
                w.WriteStartObject();
                w.WriteString("name", input.Name);
                w.WriteString("dtype", input.ElementKind.DisplayName());
                WriteShape(w, input.Shape);
                w.WriteString("layout", input.Layout.ToString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Layer);
                w.WriteString("tensor", r.Tensor);
                w.WriteString("op", r.OpType);
                w.WriteString("dtype", r.ElementKind.DisplayName());
                WriteShape(w, r.Shape);
                w.WriteString("display", r.DisplayShape);
                w.WriteString("layout", r.Layout.ToString());
                if (r.SkipReason is { } skip) w.WriteString("skip", skip);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Fixed dims as numbers, symbolic ones by name, unknown ones as null.</summary>
    private static void WriteShape(Utf8JsonWriter w, IReadOnlyList<TensorDimension> shape)
    {
        w.WriteStartArray("shape");
        foreach (var d in shape)
        {
            if (d.Size is { } size) w.WriteNumberValue(size);
            else if (d.Symbol is { } symbol) w.WriteStringValue(symbol);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }
}
