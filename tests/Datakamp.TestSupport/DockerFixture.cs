using Datakamp.Docker;

namespace Datakamp.TestSupport;

/// <summary>The real Docker engine on this machine; tests that need it call <see cref="Require"/>.</summary>
public sealed class DockerFixture : IAsyncLifetime
{
    /// <summary>The client the host uses (Docker.DotNet) on the default socket.</summary>
    public DockerDotNetEngine Engine { get; } = new(new DockerEngineOptions());

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        try
        {
            await Engine.PingAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DockerEngineUnavailableException or DockerApiException)
        {
            UnavailableReason = $"Docker engine unavailable: {e.Message}";
        }
    }

    public void Require() => TestEnvironment.RequireOrSkip(UnavailableReason);

    public ValueTask DisposeAsync()
    {
        Engine.Dispose();
        return ValueTask.CompletedTask;
    }
}
