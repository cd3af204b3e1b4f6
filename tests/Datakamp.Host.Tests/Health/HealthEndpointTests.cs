using Datakamp.Data;
using System.Net;
using Datakamp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Datakamp.Host.Tests.Health;

/// <summary>The host in-process (WebApplicationFactory) against the fixture's real database and the real engine.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class HealthEndpointTests(PostgresFixture postgres, DockerFixture docker)
{
    private async Task<WebApplicationFactory<Program>> StartHostAsync(params (string Key, string Value)[] settings)
    {
        docker.Require();
        var connectionString = await postgres.CreateDatabaseAsync("health");
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Database:ConnectionString", connectionString);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        });
    }

    [Fact]
    public async Task Healthz_answers_200_and_checks_no_dependency()
    {
        await using var factory = await StartHostAsync();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"healthy\",\"checks\":{}}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Readyz_answers_200_when_database_schema_and_engine_are_ready()
    {
        await using var factory = await StartHostAsync();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"database\":{\"status\":\"healthy\",\"detail\":\"schema version", body);
        Assert.Contains("\"docker\":{\"status\":\"healthy\"", body);
    }

    [Fact]
    public async Task Readyz_answers_503_naming_the_engine_when_it_stops_answering()
    {
        await using var factory = await StartHostAsync();
        // The engine answered at start-up; now point the readiness check at a socket that does not exist.
        var engine = new Datakamp.Docker.DockerDotNetEngine(new Datakamp.Docker.DockerEngineOptions { SocketPath = "/run/gone.sock" });
        var check = new Datakamp.Host.Health.DockerReadinessCheck(new Datakamp.Docker.DockerSandboxRuntime(engine));

        var result = await check.CheckHealthAsync(new(), TestContext.Current.CancellationToken);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, result.Status);
        Assert.Contains("/run/gone.sock", result.Description);
    }

    [Fact]
    public async Task Unknown_path_gets_a_plain_404_without_details()
    {
        await using var factory = await StartHostAsync();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/no/such/page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
