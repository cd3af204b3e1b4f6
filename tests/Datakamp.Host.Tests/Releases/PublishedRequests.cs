using System.Globalization;
using System.Text;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Datakamp.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// A published request without a sandbox: Noord's note put into the host's content store and recorded through the
/// repository, checked by the host's own check worker, approved by both demo checkers through the workflow.
/// </summary>
internal static class PublishedRequests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Noord's request of one text file note.txt holding <paramref name="note"/>, published; its id.</summary>
    public static async Task<long> NoteAsync(DemoHost host, string note)
    {
        var services = host.Factory.Services;
        var noord1 = await AccountAsync(host, "noord1");
        var team = noord1.Team!;
        var bytes = Encoding.UTF8.GetBytes(note);
        var stored = await services.GetRequiredService<ContentStore>().PutAsync(new MemoryStream(bytes), bytes.Length, Ct);
        const string actor = "team:demo/noord/noord1";
        var release = new NewRelease(team.TeamId, noord1.Id, actor, "Income note", Guid.NewGuid(), [new NewReleaseFile("note.txt", stored.Sha256, stored.Size, "text/plain")]);
        var releases = new ReleaseRepository(DatabaseOf(host));
        var (id, _) = await releases.SubmitAsync(release, DateTimeOffset.UtcNow,
            newId => new AuditEntry(actor, AuditActions.ReleaseSubmitted, "release_request", newId.ToString(CultureInfo.InvariantCulture), team.EventId, team.TeamId), Ct);
        services.GetRequiredService<CheckSignal>().Wake();
        for (var i = 0; i < 300 && (await releases.FindAsync(id, Ct))!.Request.State == ReleaseState.Submitted; i++) await Task.Delay(100, Ct);

        var workflow = services.GetRequiredService<ReleaseWorkflow>();
        ReleaseRecord? after = null;
        foreach (var name in new[] { "chris", "dana" })
        {
            var checker = await AccountAsync(host, name);
            await workflow.OpenForReviewAsync(checker, $"user:{name}", id, Ct);
            after = await workflow.VoteAsync(checker, $"user:{name}", id,
                new Dictionary<string, FileReview> { ["note.txt"] = new(FileDecision.Approve, "A mean over all districts: safe.") }, Ct);
        }
        Assert.Equal(ReleaseState.Published, after!.Request.State);
        return id;
    }

    public static Database DatabaseOf(DemoHost host) => host.Factory.Services.GetRequiredService<Database>();

    public static async Task<Account> AccountAsync(DemoHost host, string username) =>
        (await new AccountRepository(DatabaseOf(host)).FindForSignInAsync(username, Ct))!.Account;
}
