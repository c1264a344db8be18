namespace FeatureMaps.MLNet.Tests.Execution;

/// <summary>
/// Tests that count the bytes the whole process allocates run after the others, with nothing beside them: xunit runs
/// test classes in parallel, and their allocations would count too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone in the process";
}
