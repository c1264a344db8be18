namespace FeatureMaps.SeedTraining;

/// <summary>
/// Renders the synthetic training data: one circle, square or triangle (filled or outlined, 30-100 px,
/// random position, rotation and colour) on a solid or gradient background, sometimes with small distractor
/// lines and dots, plus pixel noise. The variety is what makes the first layer learn edge and colour
/// filters rather than one background; a fresh draw per image makes memorising impossible.
/// </summary>
/// <remarks>
/// Shapes are drawn from signed distance functions with a one-pixel linear edge, i.e. cheap anti-aliasing.
/// Images are NHWC [150, 150, 3], RGB, quantised to k/255 like a decoded 8-bit image scaled by the
/// Keras preprocessing x/255.
/// </remarks>
internal static class ShapeRenderer
{
    private const int Size = SeedCnn.ImageSize;
    private const float MinShapeSize = 30f;
    private const float MaxShapeSize = 100f;

    /// <summary>Minimum RGB distance between shape and both background end colours, so every image stays solvable.</summary>
    private const float MinContrast = 0.35f;

    private const float MaxNoise = 0.06f;

    /// <summary>Class names in label (and network output) order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = [.. Enum.GetNames<ShapeClass>().Select(name => name.ToLowerInvariant())];

    public static void Render(int label, Random rng, Span<float> image)
    {
        (Rgb from, Rgb to) = DrawBackground(rng, image);
        if (rng.NextDouble() < 0.5)
        {
            DrawDistractors(rng, image);
        }

        DrawShape(label, rng, image, from, to);
        AddNoiseAndQuantize(rng, image);
    }

    private static (Rgb From, Rgb To) DrawBackground(Random rng, Span<float> image)
    {
        Rgb from = Rgb.Random(rng);
        Rgb to = rng.NextDouble() < 0.5 ? from : Rgb.Random(rng);
        double angle = rng.NextDouble() * 2 * Math.PI;
        float dx = (float)Math.Cos(angle) / Size;
        float dy = (float)Math.Sin(angle) / Size;
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                float t = Math.Clamp(0.5f + ((x - (Size / 2f)) * dx) + ((y - (Size / 2f)) * dy), 0f, 1f);
                Rgb.Lerp(from, to, t).WriteTo(image, x, y);
            }
        }

        return (from, to);
    }

    private static void DrawDistractors(Random rng, Span<float> image)
    {
        int count = rng.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            Rgb colour = Rgb.Random(rng);
            float x0 = Uniform(rng, 0, Size);
            float y0 = Uniform(rng, 0, Size);
            if (rng.NextDouble() < 0.5)
            {
                float radius = Uniform(rng, 1f, 3f);
                Fill(image, colour, x0, y0, radius + 1, (px, py) => Coverage(Length(px - x0, py - y0) - radius));
            }
            else
            {
                float length = Uniform(rng, 8f, 25f);
                float halfWidth = Uniform(rng, 0.5f, 1.25f);
                double angle = rng.NextDouble() * 2 * Math.PI;
                float ux = (float)Math.Cos(angle);
                float uy = (float)Math.Sin(angle);
                float midX = x0 + (ux * length / 2);
                float midY = y0 + (uy * length / 2);
                Fill(image, colour, midX, midY, (length / 2) + halfWidth + 1, (px, py) =>
                {
                    // Distance to the segment: project onto it, clamp to its ends.
                    float along = Math.Clamp(((px - x0) * ux) + ((py - y0) * uy), 0f, length);
                    return Coverage(Length(px - x0 - (along * ux), py - y0 - (along * uy)) - halfWidth);
                });
            }
        }
    }

    private static void DrawShape(int label, Random rng, Span<float> image, Rgb backgroundFrom, Rgb backgroundTo)
    {
        float radius = Uniform(rng, MinShapeSize, MaxShapeSize) / 2;
        float cx = Uniform(rng, radius + 2, Size - radius - 2);
        float cy = Uniform(rng, radius + 2, Size - radius - 2);
        double rotation = rng.NextDouble() * 2 * Math.PI;
        bool filled = rng.NextDouble() < 0.5;
        float thickness = Math.Min(Uniform(rng, 2f, 6f), radius / 2);
        Rgb colour = ContrastingColour(rng, backgroundFrom, backgroundTo);

        Func<float, float, float> distance = (ShapeClass)label switch
        {
            ShapeClass.Circle => (qx, qy) => Length(qx, qy) - radius,
            ShapeClass.Square => RegularPolygon(4, radius, rotation),
            ShapeClass.Triangle => RegularPolygon(3, radius, rotation),
            _ => throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown class."),
        };

        Fill(image, colour, cx, cy, radius + 1, (px, py) =>
        {
            float d = distance(px - cx, py - cy);
            // An outline is the band of the given thickness just inside the boundary.
            return Coverage(filled ? d : Math.Abs(d + (thickness / 2)) - (thickness / 2));
        });
    }

    /// <summary>
    /// Signed distance (exact inside, a slight under-estimate beyond the corners) to a regular polygon with
    /// circumradius <paramref name="radius"/> centred on the origin: the largest distance past any edge's line.
    /// </summary>
    private static Func<float, float, float> RegularPolygon(int sides, float radius, double rotation)
    {
        float apothem = radius * (float)Math.Cos(Math.PI / sides);
        var normals = new (float X, float Y)[sides];
        for (int k = 0; k < sides; k++)
        {
            double angle = rotation + (2 * Math.PI * k / sides);
            normals[k] = ((float)Math.Cos(angle), (float)Math.Sin(angle));
        }

        return (qx, qy) =>
        {
            float d = float.NegativeInfinity;
            foreach ((float nx, float ny) in normals)
            {
                d = Math.Max(d, (qx * nx) + (qy * ny));
            }

            return d - apothem;
        };
    }

    private static Rgb ContrastingColour(Random rng, Rgb a, Rgb b)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            Rgb candidate = Rgb.Random(rng);
            if (Rgb.Distance(candidate, a) >= MinContrast && Rgb.Distance(candidate, b) >= MinContrast)
            {
                return candidate;
            }
        }

        // A strongly contrasting two-colour gradient can leave nothing far enough from both ends; the
        // complement of their mean is then the best available.
        Rgb mean = Rgb.Lerp(a, b, 0.5f);
        return new Rgb(1 - mean.R, 1 - mean.G, 1 - mean.B);
    }

    /// <summary>Blends <paramref name="colour"/> into the pixels of a square around (cx, cy) by per-pixel coverage.</summary>
    private static void Fill(Span<float> image, Rgb colour, float cx, float cy, float halfExtent, Func<float, float, float> coverage)
    {
        int x0 = Math.Max(0, (int)MathF.Floor(cx - halfExtent));
        int x1 = Math.Min(Size - 1, (int)MathF.Ceiling(cx + halfExtent));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - halfExtent));
        int y1 = Math.Min(Size - 1, (int)MathF.Ceiling(cy + halfExtent));
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                // Sample at the pixel centre.
                float alpha = coverage(x + 0.5f, y + 0.5f);
                if (alpha > 0f)
                {
                    Rgb.Lerp(Rgb.ReadFrom(image, x, y), colour, alpha).WriteTo(image, x, y);
                }
            }
        }
    }

    private static void AddNoiseAndQuantize(Random rng, Span<float> image)
    {
        float amplitude = Uniform(rng, 0f, MaxNoise);
        for (int i = 0; i < image.Length; i++)
        {
            float value = Math.Clamp(image[i] + Uniform(rng, -amplitude, amplitude), 0f, 1f);
            image[i] = MathF.Round(value * 255f) / 255f;
        }
    }

    /// <summary>Fraction of a pixel covered, for a signed distance measured at its centre (linear over one pixel).</summary>
    private static float Coverage(float signedDistance) => Math.Clamp(0.5f - signedDistance, 0f, 1f);

    private static float Length(float x, float y) => MathF.Sqrt((x * x) + (y * y));

    private static float Uniform(Random rng, float min, float max) => min + ((float)rng.NextDouble() * (max - min));

    private readonly record struct Rgb(float R, float G, float B)
    {
        public static Rgb Random(Random rng) => new((float)rng.NextDouble(), (float)rng.NextDouble(), (float)rng.NextDouble());

        public static Rgb Lerp(Rgb a, Rgb b, float t) => new(a.R + ((b.R - a.R) * t), a.G + ((b.G - a.G) * t), a.B + ((b.B - a.B) * t));

        public static float Distance(Rgb a, Rgb b) => Length(Length(a.R - b.R, a.G - b.G), a.B - b.B);

        public static Rgb ReadFrom(ReadOnlySpan<float> image, int x, int y)
        {
            int i = ((y * Size) + x) * 3;
            return new Rgb(image[i], image[i + 1], image[i + 2]);
        }

        public void WriteTo(Span<float> image, int x, int y)
        {
            int i = ((y * Size) + x) * 3;
            image[i] = R;
            image[i + 1] = G;
            image[i + 2] = B;
        }
    }
}
