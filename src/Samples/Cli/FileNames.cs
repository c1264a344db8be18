using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>Layer and image names made safe as single file-name segments (no separators, no "..", no control characters).</summary>
internal static class FileNames
{
    public static string Safe(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var builder = new StringBuilder(name.Length);
        foreach (var ch in name)
            builder.Append(invalid.Contains(ch) || char.IsControl(ch) ? '_' : ch);
        var safe = builder.ToString().Trim('.', ' ');
        return safe.Length == 0 ? "_" : safe;
    }
}
