using System.Text;

namespace FeatureMaps.Samples.Cli;

/// <summary>
/// 64-bit FNV-1a: a tiny, dependency-free hash that gives the same value in every process, on every machine and in
/// every .NET version (unlike <see cref="string.GetHashCode()"/>), which is what sharding and resume fingerprints need.
/// Not for security.
/// </summary>
internal static class Fnv1a
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong hash = OffsetBasis)
    {
        foreach (var b in data)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    /// <summary>The hash of the text's UTF-8 bytes.</summary>
    public static ulong Hash(string text) => Hash(Encoding.UTF8.GetBytes(text));

    /// <summary>The hash of a file's bytes, read in chunks so a large model is never held in memory twice.</summary>
    public static ulong HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        var hash = OffsetBasis;
        int read;
        while ((read = stream.Read(buffer)) > 0)
            hash = Hash(buffer.AsSpan(0, read), hash);
        return hash;
    }

    /// <summary>16 lower-case hex digits.</summary>
    public static string Hex(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
