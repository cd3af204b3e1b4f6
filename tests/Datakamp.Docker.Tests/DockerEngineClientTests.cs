using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

[Trait("Category", "Docker")]
public sealed class DockerEngineClientTests(DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Ping_calls_the_versioned_ping_path()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, "OK");
        using var client = new DockerEngineClient(handler, new DockerEngineOptions { ApiVersion = "1.41" });

        await client.PingAsync(Ct);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/v1.41/_ping", request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task An_engine_error_becomes_a_typed_exception_with_the_engine_message()
    {
        var handler = new RecordingHandler(HttpStatusCode.InternalServerError, """{"message":"something broke"}""");
        using var client = new DockerEngineClient(handler, new DockerEngineOptions());

        var error = await Assert.ThrowsAsync<DockerApiException>(() => client.GetVersionAsync(Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("something broke", error.EngineMessage);
    }

    [Fact]
    public async Task A_socket_that_does_not_exist_is_reported_as_unavailable_with_the_path()
    {
        using var client = new DockerEngineClient(new DockerEngineOptions { SocketPath = "/run/no-such-engine.sock" });

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => client.PingAsync(Ct));

        Assert.Equal("Docker engine not answering on /run/no-such-engine.sock: the socket file does not exist", error.Message);
    }

    [Fact]
    public async Task The_docker_dotnet_engine_also_reports_a_missing_socket_as_unavailable_with_the_path()
    {
        using var engine = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = "/run/no-such-engine.sock" });

        var error = await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => engine.PingAsync(Ct));

        Assert.StartsWith("Docker engine not answering on /run/no-such-engine.sock: ", error.Message);
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
            using var client = new DockerEngineClient(new DockerEngineOptions { SocketPath = path });

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
