using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>The engine client against a socket with no engine behind it, and against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class DockerDotNetEngineTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_socket_that_does_not_exist_is_reported_as_unavailable_with_the_path()
    {
        using var client = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = "/run/no-such-engine.sock" });

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.PingAsync(Ct));

        Assert.Equal("Docker engine not answering on /run/no-such-engine.sock: the socket file does not exist", error.Message);
    }

    [Fact]
    public async Task A_socket_nobody_listens_on_is_reported_as_unavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dead-{Guid.NewGuid():N}.sock");
        using (var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));   // bound, never listening: refused
        }
        try
        {
            using var client = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = path });

            var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.PingAsync(Ct));

            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_real_engine_reports_its_version_and_api_version()
    {
        docker.Require();

        var version = await docker.Engine.GetVersionAsync(Ct);

        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.Matches(@"^1\.\d+$", version.ApiVersion);
    }
}
