using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Domain.Sandboxes;

namespace Datakamp.Domain.Tests.Audit;

/// <summary>Every audit event about a kind of subject names it the same way, whoever wrote it: the staff and transparency pages filter on these fields.</summary>
public sealed class AuditEntriesTests
{
    private static readonly Slug Demo = Slug.Parse("demo", "event"), Noord = Slug.Parse("noord", "team");

    [Fact]
    public void A_grant_is_filed_under_its_dataset_event_and_team_with_its_details_as_json()
    {
        var persons = new Dataset(7, 3, "persons", "", "/srv/persons.csv", new string('a', 64), 10, ["person_id"], "person_id", "cbs-persons");

        var entry = AuditEntries.ForDataset("staff:anna", AuditActions.DatasetGranted, persons, teamId: 5, new { grant = 11, purpose = "Poverty", until = (string?)null });

        Assert.Equal(new AuditEntry("staff:anna", "dataset.granted", "dataset", "persons", 3, 5, 7, """{"grant":11,"purpose":"Poverty","until":null}"""), entry);
    }

    [Fact]
    public void A_team_members_account_is_filed_under_its_event_and_team_and_staff_under_none()
    {
        var member = new Account(1, "noord1", "Noord 1", false, false, new AccountTeam(5, 3, Demo, Noord), false);
        var staff = member with { Username = "anna", IsStaff = true, Team = null };

        Assert.Equal(new AuditEntry("system", "account.created", "account", "noord1", 3, 5), AuditEntries.ForAccount("system", AuditActions.AccountCreated, member));
        Assert.Equal(new AuditEntry("system", "account.created", "account", "anna"), AuditEntries.ForAccount("system", AuditActions.AccountCreated, staff));
    }

    [Fact]
    public void Sandboxes_ide_sessions_declarations_and_release_requests_name_their_subject_in_one_way()
    {
        var sandbox = new SandboxRecord(5, Demo, Noord, 3, SandboxDesiredState.Running, "c", null, "t", 1, null);
        var declaration = new Declaration(3, 2, "text", new string('b', 64), DateTimeOffset.UnixEpoch, "staff:anna");

        Assert.Equal(("sandbox", "demo/noord", 3L, 5L), Subject(AuditEntries.ForSandbox("team:noord1", AuditActions.SandboxStarted, sandbox)));
        Assert.Equal(("ide_session", "team:noord1@5", 3L, 5L), Subject(AuditEntries.ForIdeSession("team:noord1", AuditActions.IdeSessionOpened, 3, 5)));
        Assert.Equal(("declaration", "2", 3L, 5L), Subject(AuditEntries.ForDeclaration("team:noord1", AuditActions.DeclarationAccepted, declaration, 5)));
        Assert.Equal($$"""{"version":2,"sha256":"{{declaration.Sha256}}"}""", AuditEntries.ForDeclaration("x", AuditActions.DeclarationPublished, declaration).DetailsJson);
        Assert.Equal(("release_request", "42", 3L, 5L), Subject(AuditEntries.ForReleaseRequest("system", AuditActions.ReleaseChecked, 42, 3, 5)));
        Assert.Equal(("presentation_bundle", "demo/noord", 3L, 5L), Subject(AuditEntries.ForBundle("x", AuditActions.PublicationDownloaded, "demo", 3, "noord", 5)));
        Assert.Equal("{}", AuditEntries.ForBundle("x", AuditActions.PublicationDownloaded, "demo", 3, null, null).DetailsJson);
    }

    private static (string Type, string Id, long? EventId, long? TeamId) Subject(AuditEntry entry) => (entry.SubjectType, entry.SubjectId, entry.EventId, entry.TeamId);
}
