using Datakamp.Data;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Startup;

/// <summary>What a person sees when the host cannot start: one line naming what is wrong and how to fix it.</summary>
[Trait("Category", "Docker")]
public sealed class HostStartupFailureTests(DockerFixture docker)
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_unreachable_database_exits_69_with_one_line_naming_it()
    {
        docker.Require();
        using var state = new ScratchStateDirectory();
        var closedPort = HostProcess.FreePort();
        await using var host = HostProcess.StartServe(state.Setting, $"--Database:ConnectionString=Host=127.0.0.1;Port={closedPort};Username=dk;Password=secret;Database=dk");

        Assert.Equal(69, await host.WaitForExitAsync(ExitWithin));

        var line = Assert.Single(host.StandardError);
        Assert.StartsWith($"datakamp: PostgreSQL not reachable at 127.0.0.1:{closedPort}/dk:", line);
        Assert.Contains("Database:ConnectionString", line);
        Assert.DoesNotContain("secret", line);
    }

    [Fact]
    public async Task A_missing_docker_engine_exits_69_with_one_line_naming_it()
    {
        using var state = new ScratchStateDirectory();
        await using var host = HostProcess.StartServe(state.Setting, "--Docker:SocketPath=/run/no-such-docker.sock");

        Assert.Equal(69, await host.WaitForExitAsync(ExitWithin));

        var line = Assert.Single(host.StandardError);
        Assert.Equal("datakamp: Docker engine not answering on /run/no-such-docker.sock: the socket file does not exist; "
                     + "start it with 'bash scripts/setup' (installs and starts dockerd), or set Docker:SocketPath to where your engine listens.", line);
    }

    [Theory]
    [InlineData("--Database:ConnectTimeoutSeconds=0", "Database:ConnectTimeoutSeconds must be between 1 and 300 (got 0)")]
    [InlineData("--Database:ConnectTimeoutSeconds=soon", "'soon' at 'Database:ConnectTimeoutSeconds'")]
    [InlineData("--Docker:SocketPath=docker.sock", "Docker:SocketPath must be an absolute path")]
    [InlineData("--Demo:Persons=5", "Demo:Persons must be between 100 and 50000000 (got 5)")]
    public async Task A_bad_configuration_value_exits_78_naming_the_key(string setting, string expected)
    {
        using var state = new ScratchStateDirectory();
        await using var host = HostProcess.StartServe(state.Setting, setting);

        Assert.Equal(78, await host.WaitForExitAsync(ExitWithin));

        var line = Assert.Single(host.StandardError);
        Assert.StartsWith("datakamp: configuration error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task A_setting_from_a_DATAKAMP_environment_variable_is_validated_too()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(HostProcess.ExecutablePath);
        start.ArgumentList.Add("serve");
        start.Environment["DATAKAMP_Docker__ApiVersion"] = "latest";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(78, process.ExitCode);
        Assert.Equal("datakamp: configuration error: Docker:ApiVersion must look like 1.41 (got 'latest')", stderr.Trim());
    }

    [Fact]
    public async Task An_unknown_verb_exits_64_with_the_usage()
    {
        await using var host = HostProcess.Start(["frobnicate"]);

        Assert.Equal(64, await host.WaitForExitAsync(ExitWithin));
        Assert.Equal("datakamp: unknown verb 'frobnicate'", host.StandardError.First());
        Assert.Contains(host.StandardError, line => line.StartsWith("usage: datakamp <verb>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("serve", "--help")]
    [InlineData("audit", "verify", "--help")]
    [InlineData("version", "-h")]
    [InlineData("--help")]
    public async Task Help_after_any_verb_prints_the_usage_and_never_runs_the_verb(params string[] args)
    {
        await using var host = HostProcess.Start(args);

        Assert.Equal(0, await host.WaitForExitAsync(ExitWithin));
        Assert.Equal("usage: datakamp <verb> [options]      (datakamp <verb> --help: the verb's own usage)", host.StandardOutput.First());
        Assert.DoesNotContain(host.StandardOutput, line => line.Contains("PostgreSQL", StringComparison.Ordinal));
    }
}
