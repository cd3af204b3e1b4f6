using System.Net;
using Dapper;
using Datakamp.Data;
using Datakamp.Domain.Audit;
using Datakamp.Host.Ide;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Ide;

/// <summary>IDE sessions in the audit trail, through the real host, engine and IDE: who had a team's IDE open, with which data, from when to when.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class IdeSessionAuditTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_members_requests_to_the_ide_are_one_session_opened_with_the_teams_data_and_closed_when_the_sandbox_stops()
    {
        await using var host = await DemoHost.StartWithSandboxImageAsync(postgres, docker);
        using var noord = await host.SignedInAsync("noord1");
        using var zuid = await host.SignedInAsync("zuid1");
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team")) { }

        for (var i = 0; i < 3; i++)
        {
            using var answer = await noord.GetAsync("/ide/demo/noord/api/kernelspecs", Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        using (var foreign = await zuid.GetAsync("/ide/demo/noord/api/kernelspecs", Ct)) Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var whileOpen = await SessionEventsAsync(host);

        using (await DemoHost.PostFormAsync(noord, "/team?handler=Stop", [], "/team")) { }
        await host.Factory.Services.GetRequiredService<IdeSessionAudit>().CloseEndedAsync(Ct);
        var afterStop = await SessionEventsAsync(host);

        var opened = Assert.Single(whileOpen);                                           // three requests, one session; zuid none
        Assert.Equal((AuditActions.IdeSessionOpened, "team:demo/noord/noord1"), (opened.Action, opened.Actor));
        Assert.Contains("\"datasets\": [\"persons\"]", opened.Details);
        Assert.Equal(2, afterStop.Count);
        Assert.Equal((AuditActions.IdeSessionClosed, "team:demo/noord/noord1"), (afterStop[1].Action, afterStop[1].Actor));
        Assert.Contains("\"reason\": \"the sandbox stopped\"", afterStop[1].Details);
    }

    private sealed record SessionEvent(string Action, string Actor, string Details);

    private static async Task<List<SessionEvent>> SessionEventsAsync(DemoHost host)
    {
        await using var connection = await host.Factory.Services.GetRequiredService<Database>().DataSource.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<SessionEvent>(
            "SELECT action, actor, details::jsonb::text AS details FROM audit_events WHERE subject_type = 'ide_session' ORDER BY seq")).ToList();
    }
}
