using System.Text.Json.Nodes;
using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Web;

namespace Datakamp.Docker.Tests;

/// <summary>What the client sends and how it reads answers, against canned responses (no engine).</summary>
public sealed class RequestShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---------- images ----------

    [Fact]
    public async Task Image_inspect_gets_the_image_path_with_its_slash_and_tag_and_maps_the_answer()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK,
            """{"Id":"sha256:abc","RepoTags":["datakamp/base:bookworm"],"Created":"2026-11-22T03:25:26.123456789Z","Size":126000000,"Os":"linux","Architecture":"amd64","Config":{"User":"","Cmd":["bash"],"Labels":{"a":"b"}}}""");
        var client = handler.Client();

        var image = await client.InspectImageAsync("datakamp/base:bookworm", Ct);

        Assert.Equal("GET /v1.41/images/datakamp/base:bookworm/json", Assert.Single(handler.Lines));
        Assert.NotNull(image);
        Assert.Equal("sha256:abc", image.Id);
        Assert.Equal(["datakamp/base:bookworm"], image.RepoTags!);
        Assert.Equal(["bash"], image.Config!.Cmd!);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 25, 26, TimeSpan.Zero).AddTicks(1234568), image.Created);
    }

    [Fact]
    public async Task Image_inspect_of_a_missing_image_is_null()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.NotFound, """{"message":"No such image: nope:1"}""");
        var client = handler.Client();

        Assert.Null(await client.InspectImageAsync("nope:1", Ct));
    }

    [Theory]
    [InlineData("../containers/x")]
    [InlineData("a/../../b")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task Image_references_that_could_walk_the_url_are_refused_before_sending(string image)
    {
        await using var handler = new FakeEngine();
        var client = handler.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.InspectImageAsync(image, Ct));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../images/x")]
    [InlineData("a/b")]
    [InlineData("a?x=1")]
    [InlineData("-rf")]
    [InlineData("")]
    public async Task Container_references_other_than_ids_and_names_are_refused_before_sending(string container)
    {
        await using var handler = new FakeEngine();
        var client = handler.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.InspectContainerAsync(container, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.RemoveContainerAsync(container, true, true, Ct));
        Assert.Empty(handler.Requests);
    }

    // ---------- create ----------

    internal static ContainerSpec HardenedSpec() => new()
    {
        Name = "datakamp-team-a",
        Image = "datakamp/base:bookworm",
        Cmd = ["sleep", "300"],
        Entrypoint = ["/bin/sh", "-c"],
        Env = ["HOME=/workspace", "LANG=C.UTF-8"],
        Labels = new Dictionary<string, string> { ["datakamp.team"] = "team-a", ["datakamp.sandbox"] = "7" },
        User = "64123:64123",
        WorkingDir = "/workspace",
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
            Binds = ["/srv/legacy:/legacy:ro"],
            Mounts =
            [
                new Mount { Type = "bind", Source = "/srv/data/d1", Target = "/data", ReadOnly = true, BindOptions = new BindOptions { NonRecursive = true } },
                new Mount { Type = "bind", Source = "/srv/teams/team-a/outbox", Target = "/outbox", ReadOnly = false },
            ],
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=64m" },
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges:true"],
            PidsLimit = 256,
            Memory = 2147483648,
            MemorySwap = 2147483648,
            NanoCpus = 1500000000,
            Init = true,
            IpcMode = "private",
            Ulimits = [new Ulimit("nofile", 1024, 2048)],
            LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }),
            RestartPolicy = new RestartPolicy("no"),
        },
    };

    [Fact]
    public async Task Create_posts_every_hardening_field_in_the_engine_json_and_the_name_in_the_query()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.Created, """{"Id":"4f1c","Warnings":["no swap limit"]}""");
        var client = handler.Client();

        var created = await client.CreateContainerAsync(HardenedSpec(), Ct);

        Assert.Equal("POST /v1.41/containers/create?name=datakamp-team-a", Assert.Single(handler.Lines));
        Assert.Equal("application/json", handler.Requests[0].Content!.Headers.ContentType!.MediaType);
        var expected = """
            {"Image":"datakamp/base:bookworm","Cmd":["sleep","300"],"Entrypoint":["/bin/sh","-c"],"Env":["HOME=/workspace","LANG=C.UTF-8"],
            "Labels":{"datakamp.team":"team-a","datakamp.sandbox":"7"},"User":"64123:64123","WorkingDir":"/workspace","HostConfig":{
            "NetworkMode":"none","Binds":["/srv/legacy:/legacy:ro"],
            "Mounts":[{"Type":"bind","Source":"/srv/data/d1","Target":"/data","ReadOnly":true,"BindOptions":{"NonRecursive":true}},
            {"Type":"bind","Source":"/srv/teams/team-a/outbox","Target":"/outbox"}],
            "ReadonlyRootfs":true,"Tmpfs":{"/tmp":"rw,noexec,nosuid,size=64m"},
            "CapDrop":["ALL"],"SecurityOpt":["no-new-privileges:true"],"PidsLimit":256,"Memory":2147483648,"MemorySwap":2147483648,"NanoCpus":1500000000,
            "Init":true,"IpcMode":"private","Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}],
            "LogConfig":{"Type":"json-file","Config":{"max-size":"10m","max-file":"3"}},
            "RestartPolicy":{"Name":"no"}}}
            """;
        // The library writes the body; it may add fields of its own, but every field we set must be there as we set it
        // (except a false ReadOnly and a zero retry count, the engine's defaults, which it leaves out).
        AssertContains(JsonNode.Parse(string.Concat(expected.Split('\n').Select(line => line.Trim())))!, JsonNode.Parse(handler.Bodies[0]!)!, "");
        Assert.Equal("4f1c", created.Id);
        Assert.Equal(["no swap limit"], created.Warnings!);
    }

    [Fact]
    public async Task Create_without_a_name_or_options_sends_only_the_image()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.Created, """{"Id":"4f1c","Warnings":[]}""");
        var client = handler.Client();

        await client.CreateContainerAsync(new ContainerSpec { Image = "datakamp/base:bookworm" }, Ct);

        Assert.Equal("POST /v1.41/containers/create", Assert.Single(handler.Lines));
        Assert.Equal("""{"Image":"datakamp/base:bookworm"}""", handler.Bodies[0]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "No such image: gone:1")]
    [InlineData(HttpStatusCode.Conflict, "Conflict. The container name \"/x\" is already in use")]
    [InlineData(HttpStatusCode.BadRequest, "invalid mount config")]
    public async Task Create_errors_carry_status_engine_message_and_request(HttpStatusCode status, string message)
    {
        await using var handler = new FakeEngine().Respond(status, $$"""{"message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.CreateContainerAsync(new ContainerSpec { Name = "x", Image = "gone:1" }, Ct));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(message, error.EngineMessage);
        Assert.Contains("POST /containers/create?name=x", error.Message);
    }

    // ---------- start / stop / kill / remove ----------

    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotModified)]
    public async Task Start_succeeds_when_started_and_when_already_started(HttpStatusCode status)
    {
        await using var handler = new FakeEngine().Respond(status);
        var client = handler.Client();

        await client.StartContainerAsync("c1", Ct);

        Assert.Equal("POST /v1.41/containers/c1/start", Assert.Single(handler.Lines));
        Assert.Null(handler.Bodies[0]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Start_of_a_missing_container_or_a_failing_start_throws(HttpStatusCode status)
    {
        await using var handler = new FakeEngine().Respond(status, """{"message":"boom"}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.StartContainerAsync("c1", Ct));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("boom", error.EngineMessage);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotModified)]
    public async Task Stop_sends_the_grace_period_in_whole_seconds_and_accepts_already_stopped(HttpStatusCode status)
    {
        await using var handler = new FakeEngine().Respond(status);
        var client = handler.Client();

        await client.StopContainerAsync("c1", TimeSpan.FromMilliseconds(4500), Ct);

        Assert.Equal("POST /v1.41/containers/c1/stop?t=5", Assert.Single(handler.Lines));
    }

    [Fact]
    public async Task Stop_may_take_longer_than_the_request_timeout_by_the_grace_period()
    {
        await using var handler = new FakeEngine().Respond(async (_, ct) =>
        {
            await Task.Delay(400, ct);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        });
        var client = handler.Client(TimeSpan.FromMilliseconds(150));

        await client.StopContainerAsync("c1", TimeSpan.FromSeconds(2), Ct);
    }

    [Fact]
    public async Task Stop_of_a_missing_container_throws()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.NotFound, """{"message":"No such container: c1"}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.StopContainerAsync("c1", TimeSpan.FromSeconds(1), Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Kill_sends_the_signal_and_a_container_not_running_is_a_conflict()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.NoContent)
            .Respond(HttpStatusCode.Conflict, """{"message":"Container c1 is not running"}""");
        var client = handler.Client();

        await client.KillContainerAsync("c1", "SIGKILL", Ct);
        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.KillContainerAsync("c1", "SIGTERM", Ct));

        Assert.Equal(["POST /v1.41/containers/c1/kill?signal=SIGKILL", "POST /v1.41/containers/c1/kill?signal=SIGTERM"], handler.Lines);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => client.KillContainerAsync("c1", "KILL&x=1", Ct));
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent, "")]
    [InlineData(HttpStatusCode.NotFound, """{"message":"No such container: c1"}""")]
    [InlineData(HttpStatusCode.Conflict, """{"message":"removal of container c1 is already in progress"}""")]
    public async Task Remove_succeeds_when_removed_already_gone_or_already_being_removed(HttpStatusCode status, string body)
    {
        await using var handler = new FakeEngine().Respond(status, body);
        var client = handler.Client();

        await client.RemoveContainerAsync("c1", force: true, removeVolumes: true, Ct);

        Assert.Equal("DELETE /v1.41/containers/c1?v=1&force=1", Assert.Single(handler.Lines));
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "You cannot remove a running container c1. Stop the container before attempting removal or force remove")]
    [InlineData(HttpStatusCode.InternalServerError, "driver failed")]
    public async Task Remove_other_conflicts_and_errors_throw(HttpStatusCode status, string message)
    {
        await using var handler = new FakeEngine().Respond(status, $$"""{"message":"{{message}}"}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.RemoveContainerAsync("c1", force: false, removeVolumes: false, Ct));

        Assert.Equal("DELETE /v1.41/containers/c1", Assert.Single(handler.Lines));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(message, error.EngineMessage);
    }

    // ---------- inspect ----------

    [Fact]
    public async Task Container_inspect_maps_state_config_host_config_and_network_settings()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, """
            {"Id":"abc","Name":"/datakamp-team-a","Created":"2026-11-22T03:43:17.493089354Z","Image":"sha256:f3",
             "State":{"Status":"exited","Running":false,"Paused":false,"Restarting":false,"OOMKilled":true,"Dead":false,"Pid":0,"ExitCode":137,
                      "Error":"","StartedAt":"2026-11-22T03:43:17.991127462Z","FinishedAt":"0001-01-01T00:00:00Z"},
             "Config":{"Image":"datakamp/base:bookworm","Labels":{"datakamp.team":"team-a"},"User":"64123","Env":["A=1"]},
             "HostConfig":{"NetworkMode":"none","CapDrop":["ALL"],"SecurityOpt":["no-new-privileges:true"],"ReadonlyRootfs":true,"PidsLimit":256,
                           "Memory":1024,"MemorySwap":1024,"Init":true,"Mounts":[{"Type":"bind","Source":"/s","Target":"/data","ReadOnly":true,"BindOptions":{"NonRecursive":true}}],
                           "Ulimits":[{"Name":"nofile","Soft":1,"Hard":2}],"LogConfig":{"Type":"json-file","Config":{}},"RestartPolicy":{"Name":"","MaximumRetryCount":0},"Binds":null},
             "NetworkSettings":{"Networks":{"none":{"NetworkID":"n1","IPAddress":"","Gateway":""}},"IPAddress":"","SandboxKey":"/var/run/docker/netns/x"},
             "Mounts":[{"Type":"bind","Source":"/s","Destination":"/data","Mode":"","RW":false,"Propagation":"rprivate"}]}
            """);
        var client = handler.Client();

        var container = await client.InspectContainerAsync("datakamp-team-a", Ct);

        Assert.Equal("GET /v1.41/containers/datakamp-team-a/json", Assert.Single(handler.Lines));
        Assert.NotNull(container);
        Assert.Equal("exited", container.State.Status);
        Assert.True(container.State.OOMKilled);
        Assert.Equal(137, container.State.ExitCode);
        Assert.Equal(DateTimeOffset.MinValue, container.State.FinishedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 43, 17, TimeSpan.Zero).AddTicks(9911275), container.State.StartedAt);
        Assert.Equal("team-a", container.Config!.Labels!["datakamp.team"]);
        Assert.Equal("none", container.HostConfig!.NetworkMode);
        Assert.True(container.HostConfig.Mounts![0].BindOptions!.NonRecursive);
        Assert.Equal(["none"], container.NetworkSettings!.Networks!.Keys);
        Assert.False(container.Mounts![0].RW);
    }

    [Fact]
    public async Task Container_inspect_of_a_missing_container_is_null_and_other_errors_throw()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.NotFound, """{"message":"No such container: c1"}""")
            .Respond(HttpStatusCode.InternalServerError, """{"message":"bad"}""");
        var client = handler.Client();

        Assert.Null(await client.InspectContainerAsync("c1", Ct));
        await Assert.ThrowsAsync<DockerApiException>(() => client.InspectContainerAsync("c1", Ct));
    }

    // ---------- wait ----------

    [Fact]
    public async Task Wait_returns_the_exit_code()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, """{"Error":null,"StatusCode":7}""");
        var client = handler.Client();

        var result = await client.WaitContainerAsync("c1", TimeSpan.FromSeconds(5), Ct);

        Assert.Equal("POST /v1.41/containers/c1/wait", Assert.Single(handler.Lines));
        Assert.Equal(7, result.StatusCode);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task Wait_outlives_the_short_request_timeout_but_not_its_own()
    {
        await using var handler = new FakeEngine()
            .RespondStream(HttpStatusCode.OK, new DelayedStream(Encoding.UTF8.GetBytes("""{"StatusCode":0}"""), TimeSpan.FromMilliseconds(400)))
            .RespondStream(HttpStatusCode.OK, new DelayedStream([], Timeout.InfiniteTimeSpan));
        var client = handler.Client(TimeSpan.FromMilliseconds(100));

        var result = await client.WaitContainerAsync("c1", TimeSpan.FromSeconds(10), Ct);
        var error = await Assert.ThrowsAsync<DockerTimeoutException>(() => client.WaitContainerAsync("c1", TimeSpan.FromMilliseconds(200), Ct));

        Assert.Equal(0, result.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);
        Assert.Equal("POST /containers/c1/wait", error.Request);
    }

    // ---------- logs ----------

    [Fact]
    public async Task Logs_ask_for_both_streams_and_decode_the_frames_apart()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, Frames.Of((1, "out1\n"), (2, "err1\n"), (1, "out2\n")));
        var client = handler.Client();

        var logs = await client.GetContainerLogsAsync("c1", new LogsOptions(), Ct);

        Assert.Equal("GET /v1.41/containers/c1/logs?stdout=1&stderr=1&tail=all", Assert.Single(handler.Lines));
        Assert.Equal("out1\nout2\n", logs.StdoutText);
        Assert.Equal("err1\n", logs.StderrText);
        Assert.False(logs.Truncated);
    }

    [Fact]
    public async Task Logs_options_go_into_the_query_and_the_byte_cap_truncates()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, Frames.Of((1, "12345"), (2, "67890"), (1, "abc")));
        var client = handler.Client();
        var options = new LogsOptions { Stderr = false, Tail = 50, Timestamps = true, Since = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), MaxBytes = 7 };

        var logs = await client.GetContainerLogsAsync("c1", options, Ct);

        var query = HttpUtility.ParseQueryString(Assert.Single(handler.Requests).RequestUri!.Query);
        Assert.Equal("1", query["stdout"]);
        Assert.NotEqual("1", query["stderr"]);
        Assert.Equal("1", query["timestamps"]);
        Assert.Equal("50", query["tail"]);
        Assert.Equal("1700000000.250000000", query["since"]);
        Assert.Equal("12345", logs.StdoutText);
        Assert.Equal("67", logs.StderrText);
        Assert.True(logs.Truncated);
    }

    [Fact]
    public async Task Logs_of_a_missing_container_throw()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.NotFound, """{"message":"No such container: c1"}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.GetContainerLogsAsync("c1", new LogsOptions(), Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    // ---------- list ----------

    [Fact]
    public async Task List_asks_for_all_containers_with_a_label_filter()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK,
            """[{"Id":"a1","Names":["/x"],"Image":"datakamp/base:bookworm","State":"running","Status":"Up 1 second","Created":1700000000,"Labels":{"datakamp.test":"docker-client"}}]""");
        var client = handler.Client();

        var containers = await client.ListContainersAsync(["datakamp.test=docker-client", "datakamp.team"], Ct);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/v1.41/containers/json", request.RequestUri!.AbsolutePath);
        var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
        Assert.Equal("1", query["all"]);
        Assert.Equal("""{"label":{"datakamp.test=docker-client":true,"datakamp.team":true}}""", query["filters"]);
        var container = Assert.Single(containers);
        Assert.Equal("a1", container.Id);
        Assert.Equal("running", container.State);
        Assert.Equal("docker-client", container.Labels!["datakamp.test"]);
    }

    // ---------- exec ----------

    private const string ExecId = "3e7b8f966b8fba33e2937183978317901ef497ebc91dd14ba37c7eb8c7234a1f";

    [Fact]
    public async Task Exec_creates_starts_attached_and_reads_the_exit_code_once_recorded()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.Created, $$"""{"Id":"{{ExecId}}"}""")
            .Respond(HttpStatusCode.OK, Frames.Of((1, "lo\n"), (2, "warn\n")))
            .Respond(HttpStatusCode.OK, """{"Running":true,"ExitCode":null,"Pid":12}""")
            .Respond(HttpStatusCode.OK, """{"Running":false,"ExitCode":3,"Pid":12}""");
        var client = handler.Client();

        var result = await client.ExecAsync("c1", new ExecSpec { Cmd = ["ls", "/sys/class/net"], Env = ["A=1"], User = "65534", WorkingDir = "/tmp" }, Ct);

        Assert.Equal(
            [
                "POST /v1.41/containers/c1/exec",
                $"POST /v1.41/exec/{ExecId}/start",
                $"GET /v1.41/exec/{ExecId}/json",
                $"GET /v1.41/exec/{ExecId}/json",
            ],
            handler.Lines);
        AssertContains(JsonNode.Parse("""{"AttachStdout":true,"AttachStderr":true,"Cmd":["ls","/sys/class/net"],"Env":["A=1"],"User":"65534","WorkingDir":"/tmp"}""")!,
            JsonNode.Parse(handler.Bodies[0]!)!, "");
        Assert.NotEqual(true, (bool?)JsonNode.Parse(handler.Bodies[0]!)!["AttachStdin"]);
        Assert.NotEqual(true, (bool?)JsonNode.Parse(handler.Bodies[0]!)!["Tty"]);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("lo\n", result.Output.StdoutText);
        Assert.Equal("warn\n", result.Output.StderrText);
    }

    [Fact]
    public async Task Exec_output_beyond_the_cap_is_read_and_dropped()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.Created, $$"""{"Id":"{{ExecId}}"}""")
            .Respond(HttpStatusCode.OK, Frames.Of((1, new string('x', 5000)), (2, "tail")))
            .Respond(HttpStatusCode.OK, """{"Running":false,"ExitCode":0,"Pid":12}""");
        var client = handler.Client();

        var result = await client.ExecAsync("c1", new ExecSpec { Cmd = ["cat", "big"], MaxOutputBytes = 100 }, Ct);

        Assert.Equal(100, result.Output.Stdout.Length);
        Assert.Empty(result.Output.Stderr);
        Assert.True(result.Output.Truncated);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Exec_in_a_container_that_is_not_running_throws_the_engine_conflict()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.Conflict, """{"message":"Container c1 is not running"}""");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.ExecAsync("c1", new ExecSpec { Cmd = ["true"] }, Ct));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Exec_that_outlasts_its_timeout_is_a_typed_timeout()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.Created, $$"""{"Id":"{{ExecId}}"}""")
            .RespondStream(HttpStatusCode.OK, new DelayedStream([], Timeout.InfiniteTimeSpan));
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerTimeoutException>(() =>
            client.ExecAsync("c1", new ExecSpec { Cmd = ["sleep", "100"], Timeout = TimeSpan.FromMilliseconds(200) }, Ct));

        Assert.Equal("POST /containers/c1/exec", error.Request);
    }

    // ---------- archive ----------

    [Fact]
    public async Task Archive_gets_the_escaped_path_decodes_the_stat_header_and_hands_over_the_tar()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "outbox/"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "outbox/link") { LinkName = "/etc/passwd" });
        }
        var stat = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            """{"name":"outbox","size":4096,"mode":2147484141,"mtime":"2026-11-22T03:25:26Z","linkTarget":""}"""));
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, tar.ToArray(), ("X-Docker-Container-Path-Stat", stat));
        var client = handler.Client();

        await using var archive = await client.GetArchiveAsync("c1", "/outbox dir/ü", TimeSpan.FromSeconds(5), Ct);

        Assert.Equal("GET /v1.41/containers/c1/archive?path=%2Foutbox%20dir%2F%C3%BC", Assert.Single(handler.Lines));
        Assert.Equal("outbox", archive.Stat.Name);
        Assert.True(archive.Stat.IsDirectory);
        Assert.False(archive.Stat.IsSymlink);
        Assert.Equal(0x1EDu, archive.Stat.Permissions);   // 0755
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 25, 26, TimeSpan.Zero), archive.Stat.Mtime);
        using var reader = new TarReader(archive.Tar);
        Assert.Equal(TarEntryType.Directory, (await reader.GetNextEntryAsync(cancellationToken: Ct))!.EntryType);
        var link = (await reader.GetNextEntryAsync(cancellationToken: Ct))!;
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("/etc/passwd", link.LinkName);
    }

    [Fact]
    public async Task Reading_an_archive_past_its_timeout_is_a_typed_timeout()
    {
        var stat = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"name":"outbox","size":0,"mode":2147484141,"mtime":"2026-11-22T03:25:26Z"}"""));
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, "OK").Respond((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DelayedStream([], Timeout.InfiniteTimeSpan)) };
            response.Headers.TryAddWithoutValidation("X-Docker-Container-Path-Stat", stat);
            return Task.FromResult(response);
        });
        var client = handler.Client();

        await client.PingAsync(Ct);   // the first call on a client sets up its connection, which must not eat the archive's time
        await using var archive = await client.GetArchiveAsync("c1", "/outbox", TimeSpan.FromSeconds(1), Ct);
        var error = await Assert.ThrowsAsync<DockerTimeoutException>(async () => await archive.Tar.ReadExactlyAsync(new byte[512], Ct));

        Assert.Equal("GET /containers/c1/archive?path=%2Foutbox", error.Request);
        Assert.Null(archive.Stat.LinkTarget);
    }

    [Fact]
    public async Task Archive_errors_and_a_missing_stat_header_throw()
    {
        await using var handler = new FakeEngine()
            .Respond(HttpStatusCode.NotFound, """{"message":"Could not find the file /outbox in container c1"}""")
            .Respond(HttpStatusCode.OK, "not a tar");
        var client = handler.Client();

        var missing = await Assert.ThrowsAsync<DockerApiException>(() => client.GetArchiveAsync("c1", "/outbox", TimeSpan.FromSeconds(5), Ct));
        var noHeader = await Assert.ThrowsAsync<DockerApiException>(() => client.GetArchiveAsync("c1", "/outbox", TimeSpan.FromSeconds(5), Ct));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("X-Docker-Container-Path-Stat", noHeader.EngineMessage);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetArchiveAsync("c1", "relative", TimeSpan.FromSeconds(5), Ct));
    }

    // ---------- events ----------

    [Fact]
    public async Task Events_put_times_and_filters_in_the_query_and_stream_one_event_per_line()
    {
        var lines = """
            {"status":"create","id":"c1","Type":"container","Action":"create","Actor":{"ID":"c1","Attributes":{"name":"x"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}

            {"status":"start","id":"c1","Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"datakamp.test":"docker-client"}},"scope":"local","time":1700000001,"timeNano":1700000001000000000}

            """;
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, lines);
        var client = handler.Client();
        var filter = new EventFilter
        {
            Types = ["container"],
            Actions = ["start", "die"],
            Labels = ["datakamp.test=docker-client"],
            Containers = ["c1"],
            Since = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Until = DateTimeOffset.FromUnixTimeSeconds(1_700_000_060),
        };

        var events = new List<EngineEvent>();
        await foreach (var e in client.StreamEventsAsync(filter, Ct)) events.Add(e);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("/v1.41/events", request.RequestUri!.AbsolutePath);
        var query = HttpUtility.ParseQueryString(request.RequestUri.Query);
        Assert.Equal("1700000000", query["since"]);
        Assert.Equal("1700000060", query["until"]);
        Assert.Equal("""{"type":{"container":true},"event":{"start":true,"die":true},"container":{"c1":true},"label":{"datakamp.test=docker-client":true}}""", query["filters"]);
        Assert.Equal(["create", "start"], events.Select(e => e.Action));
        Assert.Equal("c1", events[1].Actor.ID);
        Assert.Equal("docker-client", events[1].Actor.Attributes!["datakamp.test"]);
        Assert.Equal(1700000000123456789, events[0].TimeNano);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_001), events[1].At);
    }

    [Fact]
    public async Task Events_stream_longer_than_the_request_timeout_and_stop_on_cancellation()
    {
        var line = Encoding.UTF8.GetBytes("""{"Type":"container","Action":"start","Actor":{"ID":"c1"},"time":1,"timeNano":1}""" + "\n");
        await using var handler = new FakeEngine().RespondStream(HttpStatusCode.OK, new DelayedStream(line, TimeSpan.FromMilliseconds(300), idleAtEnd: true));
        var client = handler.Client(TimeSpan.FromMilliseconds(100));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var seen = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in client.StreamEventsAsync(new EventFilter(), cancel.Token))
            {
                seen.Add(e.Action);
                cancel.CancelAfter(100);   // the stream now idles until cancelled
            }
        });

        Assert.Equal(["start"], seen);
        Assert.Equal("GET /v1.41/events?filters=%7B%7D", Assert.Single(handler.Lines));
    }

    [Fact]
    public async Task Events_refused_by_the_engine_throw()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.BadRequest, """{"message":"invalid filter"}""");
        var client = handler.Client();

        await Assert.ThrowsAsync<DockerApiException>(async () =>
        {
            await foreach (var _ in client.StreamEventsAsync(new EventFilter { Types = ["x"] }, Ct)) { }
        });
    }

    // ---------- stats ----------

    [Fact]
    public async Task Resource_usage_is_one_stats_sample_mapped_to_totals()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, """
            {"read":"2026-11-22T03:43:18.778364197Z","preread":"0001-01-01T00:00:00Z","pids_stats":{"current":3,"limit":64},
             "cpu_stats":{"cpu_usage":{"total_usage":43380423,"percpu_usage":[1,2]},"system_cpu_usage":3627530000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":0}},
             "memory_stats":{"usage":1114112,"max_usage":4096000,"stats":{"cache":159744,"rss":258048},"limit":67108864},"name":"/x","id":"c1"}
            """);
        var client = handler.Client();

        var usage = await client.GetResourceUsageAsync("c1", Ct);

        Assert.Equal("GET /v1.41/containers/c1/stats?stream=0&one-shot=1", Assert.Single(handler.Lines));
        Assert.Equal(new ContainerResourceUsage(new DateTimeOffset(2026, 11, 22, 3, 43, 18, TimeSpan.Zero).AddTicks(7783642),
            43380423, 1114112, 4096000, 159744, 67108864, 3, 64), usage);
    }

    /// <summary>Every property of <paramref name="expected"/> is in <paramref name="actual"/> with the same value (objects compared the same way, recursively).</summary>
    private static void AssertContains(JsonNode expected, JsonNode actual, string path)
    {
        if (expected is JsonObject properties)
        {
            var other = Assert.IsType<JsonObject>(actual, exactMatch: false);
            foreach (var (name, value) in properties)
            {
                Assert.True(other.ContainsKey(name), $"{path}.{name} is missing in {actual.ToJsonString()}");
                if (value is null) Assert.Null(other[name]);
                else AssertContains(value, other[name]!, $"{path}.{name}");
            }
            return;
        }
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: expected {expected.ToJsonString()}, sent {actual.ToJsonString()}");
    }

    // ---------- transport ----------

    [Fact]
    public async Task An_ordinary_call_that_hangs_is_a_typed_timeout_and_a_hanging_ping_means_unavailable()
    {
        await using var handler = new FakeEngine().Hang().Hang();
        var client = handler.Client(TimeSpan.FromMilliseconds(100));

        var timeout = await Assert.ThrowsAsync<DockerTimeoutException>(() => client.InspectContainerAsync("c1", Ct));
        var unavailable = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.PingAsync(Ct));

        Assert.Equal("GET /containers/c1/json", timeout.Request);
        Assert.Equal($"Docker engine not answering on {handler.SocketPath}: no answer within 0 s", unavailable.Message);
    }

    [Fact]
    public async Task Every_kind_of_call_reports_a_missing_socket_as_unavailable()
    {
        using var client = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = "/run/no-such-engine.sock" });
        const string expected = "Docker engine not answering on /run/no-such-engine.sock: the socket file does not exist";

        Assert.Equal(expected, (await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.InspectContainerAsync("c1", Ct))).Message);
        Assert.Equal(expected, (await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.WaitContainerAsync("c1", TimeSpan.FromSeconds(5), Ct))).Message);
        Assert.Equal(expected, (await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.GetArchiveAsync("c1", "/outbox", TimeSpan.FromSeconds(5), Ct))).Message);
        Assert.Equal(expected, (await Assert.ThrowsAsync<DockerEngineUnavailableException>(async () =>
        {
            await foreach (var _ in client.StreamEventsAsync(new EventFilter(), Ct)) { }
        })).Message);
    }

    [Fact]
    public async Task A_call_cancelled_by_the_caller_is_a_cancellation_not_a_timeout()
    {
        await using var handler = new FakeEngine().Hang();
        var client = handler.Client();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.StartContainerAsync("c1", cancel.Token));

        Assert.IsNotType<DockerTimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task An_unreadable_answer_is_an_api_error_not_a_json_exception()
    {
        await using var handler = new FakeEngine().Respond(HttpStatusCode.OK, "<html>proxy</html>");
        var client = handler.Client();

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.InspectContainerAsync("c1", Ct));
        Assert.StartsWith("unreadable answer", error.EngineMessage);
    }
}
