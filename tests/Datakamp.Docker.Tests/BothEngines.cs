using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>Which <see cref="IContainerEngine"/> a live test runs against: our own client or the one on Docker.DotNet.</summary>
public enum EngineKind
{
    DockerEngineClient,
    DockerDotNet,
}

/// <summary>The Docker.DotNet engine on the default socket, beside <see cref="DockerFixture"/>'s own client (one per test run).</summary>
public sealed class DockerDotNetFixture : IDisposable
{
    public DockerDotNetEngine Engine { get; } = new(new DockerEngineOptions());

    public void Dispose() => Engine.Dispose();
}

/// <summary>Runs a live test once per implementation: the contract in IContainerEngine's doc comments holds for both.</summary>
public static class BothEngines
{
    public static TheoryData<EngineKind> Kinds => new(EngineKind.DockerEngineClient, EngineKind.DockerDotNet);

    /// <summary>The engine of that kind (after <see cref="DockerFixture.Require"/>, since both use the same engine).</summary>
    public static IContainerEngine Pick(this DockerFixture docker, DockerDotNetFixture library, EngineKind kind)
    {
        docker.Require();
        return kind switch
        {
            EngineKind.DockerEngineClient => docker.Engine,
            EngineKind.DockerDotNet => library.Engine,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}
