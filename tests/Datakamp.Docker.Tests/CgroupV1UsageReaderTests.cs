using System.Text;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

public sealed class CgroupV1UsageReaderTests : IDisposable
{
    private const string Id = "7bd9929417b4479baf1a9904e19d8af9833f72c45e3f754528903415cb3bd1ff";
    private readonly string _root = TestEnvironment.CreateScratchDirectory("cgroup");

    private void Write(string controller, string file, string content)
    {
        var dir = Path.Combine(_root, controller, "docker", Id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), content);
    }

    private void WriteAll(string memoryLimit, string pidsMax)
    {
        Write("cpuacct", "cpuacct.usage", "43380423\n");
        Write("memory", "memory.usage_in_bytes", "1114112\n");
        Write("memory", "memory.max_usage_in_bytes", "4096000\n");
        Write("memory", "memory.limit_in_bytes", memoryLimit + "\n");
        Write("memory", "memory.stat", "cache 159744\nrss 258048\ntotal_cache 159744\n");
        Write("pids", "pids.current", "3\n");
        Write("pids", "pids.max", pidsMax + "\n");
    }

    [Fact]
    public void Reads_the_counters_of_a_container()
    {
        WriteAll("67108864", "64");

        var usage = new CgroupV1UsageReader(_root).Read(Id);

        Assert.NotNull(usage);
        Assert.Equal(usage with
        {
            CpuUsageNanoseconds = 43380423, MemoryUsageBytes = 1114112, MemoryMaxUsageBytes = 4096000, MemoryCacheBytes = 159744,
            MemoryLimitBytes = 67108864, Pids = 3, PidsLimit = 64,
        }, usage);
    }

    [Fact]
    public void No_limits_read_as_null()
    {
        WriteAll("9223372036854771712", "max");

        var usage = new CgroupV1UsageReader(_root).Read(Id)!;

        Assert.Null(usage.MemoryLimitBytes);
        Assert.Null(usage.PidsLimit);
    }

    [Fact]
    public void A_container_without_a_cgroup_reads_as_null_and_short_or_odd_ids_are_refused()
    {
        var reader = new CgroupV1UsageReader(_root);

        Assert.Null(reader.Read(Id));
        Assert.Throws<ArgumentException>(() => reader.Read("7bd9929417b4"));
        Assert.Throws<ArgumentException>(() => reader.Read("../../../../etc/" + new string('a', 49)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
