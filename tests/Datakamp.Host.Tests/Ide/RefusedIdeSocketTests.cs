using System.Net;
using Datakamp.Host.Ide;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Ide;

/// <summary>A team that swaps its IDE socket for a link to a host socket: refused, and said in words to the team and to staff.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class RefusedIdeSocketTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_swapped_ide_socket_is_refused_and_the_team_and_staff_pages_say_to_restart_the_sandbox()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var socket = SandboxFolders.For(host.StatePath, "demo", "noord").JupyterSocket;
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        File.CreateSymbolicLink(socket, "/var/run/docker.sock");     // what a hostile team would point the host at
        host.Factory.Services.GetRequiredService<IdeSessionRegistry>().Register(new IdeSession("demo", "noord", socket, IdeProxyTests.CurrentUid, "team-token"));
        using var noord = await host.SignedInAsync("noord1");
        using var anna = await host.SignedInAsync("anna");

        using var ide = await noord.GetAsync("/ide/demo/noord/tree", Ct);
        var team = WebUtility.HtmlDecode(await noord.GetStringAsync("/team", Ct));
        var staff = WebUtility.HtmlDecode(await anna.GetStringAsync("/staff/sandboxes", Ct));

        Assert.Equal(HttpStatusCode.BadGateway, ide.StatusCode);
        Assert.Contains("Ask the event staff to restart your sandbox.", await ide.Content.ReadAsStringAsync(Ct));
        Assert.Contains("The IDE's socket in the sandbox was replaced by something the host refuses to connect to", team);
        Assert.Contains("Ask the event staff to restart your sandbox.", team);
        Assert.Contains("IDE: The IDE's socket in the sandbox was replaced", staff);
    }
}
