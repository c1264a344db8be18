using FeatureMaps.Samples.Cli;

namespace FeatureMaps.MLNet.Tests.Cli;

public sealed class ShardingTests
{
    [Fact]
    public void Every_path_belongs_to_exactly_one_shard()
    {
        var paths = Enumerable.Range(0, 1000).Select(i => $"folder {i % 7}/image-{i}.jpg").ToList();
        var shards = Enumerable.Range(0, 5).Select(i => new Shard(i, 5)).ToList();

        foreach (var path in paths)
            Assert.Single(shards, s => s.Contains(path));
        // A stable hash spreads names evenly: every shard gets a fair part.
        Assert.All(shards, s => Assert.InRange(paths.Count(s.Contains), 150, 250));
    }

    [Fact]
    public void The_partition_is_fixed_across_processes_and_platforms()
    {
        // FNV-1a 64 of the UTF-8 path is the contract between shards started on different machines: pinned here
        // (the value is the published algorithm's, computed independently).
        Assert.Equal(0x46644eaa9e47eeb2UL, Fnv1a.Hash("photos/cat.jpg"));
        Assert.Equal((int)(0x46644eaa9e47eeb2UL % 4), Enumerable.Range(0, 4).Single(i => new Shard(i, 4).Contains("photos/cat.jpg")));
        Assert.True(Shard.All.Contains("anything"));
        Assert.True(new Shard(0, 4).Contains("a\\b.jpg") == new Shard(0, 4).Contains("a/b.jpg"));
        // Decomposed (macOS) and composed spellings of "é" are the same file name and land in the same shard.
        Assert.Equal(Enumerable.Range(0, 16).Select(i => new Shard(i, 16).Contains("cafe\u0301.jpg")),
            Enumerable.Range(0, 16).Select(i => new Shard(i, 16).Contains("caf\u00e9.jpg")));
    }

    [Theory]
    [InlineData("2/4", null, 2, 4)]
    [InlineData("auto/3", "1", 1, 3)]
    [InlineData("AUTO/8", "7", 7, 8)]
    public void Shards_parse_from_the_option_or_the_job_index(string text, string? jobIndex, int index, int count)
    {
        Assert.Equal(new Shard(index, count), Shard.Parse(text, name => name == "JOB_COMPLETION_INDEX" ? jobIndex : null));
    }

    [Fact]
    public void Slurm_array_index_is_used_when_there_is_no_kubernetes_index()
    {
        Assert.Equal(new Shard(3, 4), Shard.Parse("auto/4", name => name == "SLURM_ARRAY_TASK_ID" ? "3" : null));
    }

    [Theory]
    [InlineData("4/4", "must be a whole number from 0 to 3")]
    [InlineData("-1/4", "must be a whole number from 0 to 3")]
    [InlineData("1/0", "is not i/n")]
    [InlineData("1", "is not i/n")]
    [InlineData("auto/4", "neither is set")]
    public void Bad_shards_are_refused_with_a_clear_message(string text, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Shard.Parse(text, _ => null));
        Assert.Contains(message, error.Message);
    }
}
