using System.Formats.Tar;
using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>Exec (network checks inside a sandbox, exit codes, caps, timeouts) and the archive API against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class LiveExecArchiveTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Under_network_mode_none_exec_sees_only_loopback_and_no_routes()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sleep", "30"]);

        var interfaces = await engine.ExecAsync(id, new ExecSpec { Cmd = ["ls", "/sys/class/net"] }, Ct);
        var routes = await engine.ExecAsync(id, new ExecSpec { Cmd = ["cat", "/proc/net/route"] }, Ct);

        Assert.Equal(0, interfaces.ExitCode);
        Assert.Equal(["lo"], interfaces.Output.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, routes.ExitCode);
        var routeLines = routes.Output.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Iface", Assert.Single(routeLines));   // the header only
    }

    [Fact]
    public async Task Exec_returns_exit_code_and_both_streams_caps_output_and_times_out_typed()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sleep", "30"]);

        var result = await engine.ExecAsync(id, new ExecSpec
        {
            Cmd = ["sh", "-c", "echo \"$GREETING from $(pwd) as $(id -u)\"; echo oops >&2; exit 3"],
            Env = ["GREETING=hello"],
            WorkingDir = "/tmp",
            User = "65534",
        }, Ct);
        var big = await engine.ExecAsync(id, new ExecSpec { Cmd = ["head", "-c", "300000", "/dev/zero"], MaxOutputBytes = 1000 }, Ct);
        var timeout = await Assert.ThrowsAsync<DockerTimeoutException>(() =>
            engine.ExecAsync(id, new ExecSpec { Cmd = ["sleep", "5"], Timeout = TimeSpan.FromMilliseconds(500) }, Ct));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hello from /tmp as 65534\n", result.Output.StdoutText);
        Assert.Equal("oops\n", result.Output.StderrText);
        Assert.Equal(0, big.ExitCode);                       // drained past the cap, so head could finish
        Assert.Equal(1000, big.Output.Stdout.Length);
        Assert.True(big.Output.Truncated);
        Assert.Contains("/exec", timeout.Request);
    }

    [Fact]
    public async Task Exec_in_a_stopped_container_is_a_conflict()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.CreateAsync(["sleep", "30"]);

        var error = await Assert.ThrowsAsync<DockerApiException>(() => engine.ExecAsync(id, new ExecSpec { Cmd = ["true"] }, Ct));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }

    [Fact]
    public async Task Archive_of_a_folder_is_a_tar_of_its_entries_in_which_symlinks_stay_symlinks()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sleep", "30"]);
        var setup = await engine.ExecAsync(id, new ExecSpec
        {
            Cmd = ["sh", "-c", "mkdir -p /tmp/outbox/sub && echo hi > /tmp/outbox/a.txt && echo x > /tmp/outbox/sub/b.txt"
                + " && ln -s /etc/passwd /tmp/outbox/link && ln -s /etc /tmp/outbox/dirlink"],
        }, Ct);
        Assert.Equal(0, setup.ExitCode);

        await using var archive = await engine.GetArchiveAsync(id, "/tmp/outbox", TimeSpan.FromSeconds(20), Ct);
        var entries = new Dictionary<string, (TarEntryType Type, string LinkName, string? Content)>();
        using (var reader = new TarReader(archive.Tar))
        {
            while (await reader.GetNextEntryAsync(copyData: false, Ct) is { } entry)
            {
                string? content = null;
                if (entry.DataStream is { } data)
                {
                    using var text = new StreamReader(data);
                    content = await text.ReadToEndAsync(Ct);
                }
                entries[entry.Name] = (entry.EntryType, entry.LinkName, content);
            }
        }

        Assert.Equal("outbox", archive.Stat.Name);
        Assert.True(archive.Stat.IsDirectory);
        Assert.Equal(["outbox/", "outbox/a.txt", "outbox/dirlink", "outbox/link", "outbox/sub/", "outbox/sub/b.txt"], entries.Keys.Order());
        Assert.Equal(TarEntryType.Directory, entries["outbox/"].Type);
        Assert.Equal("hi\n", entries["outbox/a.txt"].Content);
        Assert.Equal((TarEntryType.SymbolicLink, "/etc/passwd"), (entries["outbox/link"].Type, entries["outbox/link"].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "/etc"), (entries["outbox/dirlink"].Type, entries["outbox/dirlink"].LinkName));
        Assert.Equal("x\n", entries["outbox/sub/b.txt"].Content);
    }

    [Fact]
    public async Task Archive_of_a_missing_path_is_a_not_found_error()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.CreateAsync(["sleep", "30"]);

        var error = await Assert.ThrowsAsync<DockerApiException>(() => engine.GetArchiveAsync(id, "/no/such/path", TimeSpan.FromSeconds(10), Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }
}
