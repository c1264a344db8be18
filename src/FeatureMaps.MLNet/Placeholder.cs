namespace FeatureMaps.MLNet; internal static class Placeholder {}
