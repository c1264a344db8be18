using Onnx;

namespace FeatureMaps.MLNet.Onnx;

/// <summary>
/// The version of what this library generates into a saved pipeline (graph metadata and mapping contracts).
/// Loading refuses a newer format instead of misreading it.
/// </summary>
public static class PipelineFormat
{
    /// <summary>The format this build writes and the newest it reads.</summary>
    public const int Current = 1;

    internal const string MetadataKey = "featuremaps.format";
    internal const string KindKey = "featuremaps.kind";

    internal static void Stamp(ModelProto model, string kind)
    {
        model.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = Current.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = KindKey, Value = kind });
    }

    internal static void EnsureReadable(int version, string source)
    {
        if (version > Current)
            throw new NotSupportedException(
                $"'{source}' was written by a newer FeatureMaps.MLNet (pipeline format {version}); this version reads format {Current} and older. Upgrade the FeatureMaps.MLNet package to load it.");
    }
}
