namespace FeatureMaps.SeedTraining;

/// <summary>The classes of the synthetic data set; the numeric value is the label and the network output index.</summary>
internal enum ShapeClass
{
    Circle,
    Square,
    Triangle,
}
