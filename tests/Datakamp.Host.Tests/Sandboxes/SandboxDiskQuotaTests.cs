using System.Net;
using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Host.Pages.Staff;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>
/// Issue #12 item 1: each team's workspace and outbox live in its own disk image of a set size (64 MB in
/// the harness), so the kernel stops a team at its quota and the host's disk and the other teams do not
/// notice; a nearly full state disk stops sandboxes from starting, with words for staff and the team.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxDiskQuotaTests(PostgresFixture postgres, DockerFixture docker)
{
    private const long Mb = 1024 * 1024;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Writing_past_the_quota_fails_with_no_space_while_the_hosts_free_space_and_the_other_team_are_unaffected()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.Manager.StartAsync(harness.TeamB.Id, "staff:test", Ct);
        var freeBefore = new DriveInfo(harness.State.Path).AvailableFreeSpace;

        // 3 GB at once (the attack of the issue), then 1 GB written block by block, then the outbox: about 4 GB attempted in all.
        var allocate = await harness.ExecAsync(harness.TeamA, "fallocate", "-l", "3G", "/workspace/big.bin");
        var fill = await harness.ExecAsync(harness.TeamA, "dd", "if=/dev/zero", "of=/workspace/fill.bin", "bs=1M", "count=1024");
        var outbox = await harness.ExecAsync(harness.TeamA, "dd", "if=/dev/zero", "of=/outbox/more.bin", "bs=1M", "count=16");

        Assert.NotEqual(0, allocate.ExitCode);
        Assert.Contains("No space left on device", allocate.Output);
        Assert.NotEqual(0, fill.ExitCode);
        Assert.Contains("No space left on device", fill.Output);
        Assert.NotEqual(0, outbox.ExitCode);
        Assert.Contains("No space left on device", outbox.Output);
        // At most the 64 MB image fills on the host (plus whatever else runs on this machine): far below the 4 GB attempted.
        var used = freeBefore - new DriveInfo(harness.State.Path).AvailableFreeSpace;
        Assert.True(used < 512 * Mb, $"the host's free space fell by {used / Mb} MB");

        var written = await harness.ExecAsync(harness.TeamB, "sh", "-c", "echo still-fine > /workspace/b.txt && cat /workspace/b.txt");
        Assert.Equal((0L, "still-fine"), (written.ExitCode, written.Output.Trim()));
        var sessionOfB = harness.Registry.Find(harness.Event.Slug.Value, harness.TeamB.Slug.Value)!;
        using var status = await harness.Connections.GetAsync(sessionOfB, "api/status", TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task Workspace_and_outbox_are_the_teams_own_ext4_image_mounted_nosuid_nodev_noexec()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        var mounts = (await harness.ExecAsync(harness.TeamA, "cat", "/proc/self/mountinfo")).Output.Split('\n');
        foreach (var target in new[] { "/workspace", "/outbox" })
        {
            var line = Assert.Single(mounts, line => line.Split(' ').ElementAtOrDefault(4) == target);
            Assert.Contains(" - ext4 /dev/loop", line);
            Assert.Contains("nosuid", line);
            Assert.Contains("nodev", line);
            Assert.Contains("noexec", line);
        }
        var copied = await harness.ExecAsync(harness.TeamA, "sh", "-c", "cp /bin/true /workspace/t && /workspace/t");
        Assert.Contains("Permission denied", copied.Output);
        var drive = new DriveInfo(harness.FoldersOf(harness.TeamA).DiskMount);
        Assert.InRange(drive.TotalSize, 48 * Mb, 64 * Mb);
        Assert.Equal(64 * Mb, new FileInfo(harness.FoldersOf(harness.TeamA).DiskImage).Length);
        Assert.True(File.Exists(Path.Combine(harness.FoldersOf(harness.TeamA).JupyterSocket)), "the IDE socket stays outside the image");
    }

    [Fact]
    public async Task An_events_own_workspace_size_overrides_the_hosts_quota()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await using (var connection = await harness.Db.OpenConnectionAsync(Ct))
            await connection.ExecuteAsync("UPDATE events SET sandbox_workspace_mb = 96 WHERE id = @id", new { id = harness.Event.Id });

        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        Assert.Equal(96 * Mb, new FileInfo(harness.FoldersOf(harness.TeamA).DiskImage).Length);
        Assert.InRange(new DriveInfo(harness.FoldersOf(harness.TeamA).DiskMount).TotalSize, 80 * Mb, 96 * Mb);
    }

    [Fact]
    public async Task The_staff_page_shows_each_teams_disk_use_against_its_quota_and_a_full_one_as_full()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.Manager.StartAsync(harness.TeamB.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "dd", "if=/dev/zero", "of=/workspace/fill.bin", "bs=1M", "count=128");
        await harness.ExecAsync(harness.TeamB, "dd", "if=/dev/zero", "of=/workspace/some.bin", "bs=1M", "count=10");

        var page = new SandboxesModel(harness.Events, harness.SandboxRecords, harness.Manager, harness.Runtime);
        await page.OnGetAsync(Ct);

        var rows = page.Rows.Where(row => row.EventSlug == harness.Event.Slug.Value).ToDictionary(row => row.TeamName);
        Assert.Matches(@"^(5\d|6\d) MB of (5\d|6\d) MB \(full\)$", rows["Team A"].Disk);
        Assert.Matches(@"^1\d MB of (5\d|6\d) MB$", rows["Team B"].Disk);
    }

    [Fact]
    public async Task The_teams_files_stay_in_its_image_across_a_restart_and_a_remount_as_after_a_reboot()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo kept > /workspace/notes.txt");

        await harness.Manager.RestartAsync(harness.TeamA.Id, "staff:test", Ct);
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/notes.txt")).Output.Trim());

        // A reboot unmounts everything: the stopped sandbox's image is mounted again, not formatted again.
        await harness.Manager.StopAsync(harness.TeamA.Id, "staff:test", Ct);
        var folders = harness.FoldersOf(harness.TeamA);
        LoopMounts.UnmountAllUnder(folders.Root);
        Assert.False(await TeamDisk.IsMountedAsync(folders, Ct));
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        Assert.True(await TeamDisk.IsMountedAsync(folders, Ct));
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/notes.txt")).Output.Trim());
    }

    [Fact]
    public async Task Below_the_minimum_free_space_on_the_state_disk_no_sandbox_starts_and_staff_and_team_read_why()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        harness.Options.MinFreeStateDiskMb = int.MaxValue;   // more than any disk here has free

        var refused = await Assert.ThrowsAsync<SandboxException>(() => harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));

        Assert.Contains("no sandbox starts", refused.Message);
        Assert.Contains("ask staff: the host's disk is nearly full", refused.Message);
        var record = (await harness.SandboxRecords.FindAsync(harness.TeamA.Id, Ct))!;
        Assert.Equal(refused.Message, record.LastError);   // the "problem" on the staff and team pages
        Assert.Null(await harness.Engine.InspectContainerAsync(record.ContainerName, Ct));
        Assert.False(File.Exists(harness.FoldersOf(harness.TeamA).DiskImage), "no image is made for a sandbox that may not start");
    }
}
