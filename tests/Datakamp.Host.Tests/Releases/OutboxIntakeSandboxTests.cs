using System.Diagnostics;
using Datakamp.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// Issue #5 item 2 against the real engine and a real team sandbox: every hostile thing the sandbox user can put in
/// /outbox, set up as that user, is refused with its own reason; what is taken is an immutable snapshot.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class OutboxIntakeSandboxTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Helper_style_table_files_are_accepted_with_their_sha256_and_stored_read_only()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("printf 'wijk,income,count\\nTotal,Total,30\\n' > t.csv && printf 'dataset: persons\\nunit: person_id\\n' > t.spec.yaml"
            + " && echo 'Income by wijk' > t.description.txt && echo not-selected > other.csv");
        var expected = (await box.ShAsync("sha256sum t.csv t.spec.yaml t.description.txt")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("  ")).ToDictionary(p => p[1], p => p[0]);

        var result = await box.TakeAsync("t.csv", "t.spec.yaml", "t.description.txt");

        Assert.Empty(result.Refused);
        Assert.Equal(["t.csv", "t.spec.yaml", "t.description.txt"], result.Accepted.Select(a => a.Name));
        Assert.Equal(["text/csv", "application/yaml", "text/plain"], result.Accepted.Select(a => a.MediaType));
        foreach (var output in result.Accepted)
        {
            Assert.Equal(expected[output.Name], output.Sha256);
            var path = box.Store.PathFor(output.Sha256);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
            Assert.Equal(output.Size, new FileInfo(path).Length);
            Assert.Equal(await box.ShAsync($"cat {output.Name}"), System.Text.Encoding.UTF8.GetString(await box.Store.ReadAllBytesAsync(output.Sha256, Ct)));
        }
        Assert.Equal(3, box.StoredFiles().Count);
    }

    [Fact]
    public async Task Changing_a_file_in_the_sandbox_after_the_snapshot_does_not_change_what_is_stored()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo 'a,1' > t.csv");
        var first = Assert.Single((await box.TakeAsync("t.csv")).Accepted);

        await box.ShAsync("echo 'a,999999' > t.csv");

        Assert.Equal("a,1\n", System.Text.Encoding.UTF8.GetString(await box.Store.ReadAllBytesAsync(first.Sha256, Ct)));
        var second = Assert.Single((await box.TakeAsync("t.csv")).Accepted);
        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal("a,1\n", System.Text.Encoding.UTF8.GetString(await box.Store.ReadAllBytesAsync(first.Sha256, Ct)));
    }

    [Fact]
    public async Task A_symlink_to_a_host_path_is_refused_and_the_host_file_is_not_copied()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("ln -s /etc/passwd x.csv");

        var result = await box.TakeAsync("x.csv");

        Assert.Empty(result.Accepted);
        Assert.Equal(RefusalKind.SymbolicLink, Assert.Single(result.Refused).Kind);
        Assert.Empty(box.StoredFiles());
    }

    [Fact]
    public async Task A_symlink_to_a_granted_data_file_is_refused()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("ln -s /data/persons.csv persons.csv");

        var result = await box.TakeAsync("persons.csv");

        Assert.Empty(result.Accepted);
        Assert.Equal(RefusalKind.SymbolicLink, Assert.Single(result.Refused).Kind);
        Assert.Empty(box.StoredFiles());
    }

    [Fact]
    public async Task A_symlinked_sub_folder_and_the_files_below_it_are_refused_and_real_sub_folders_are_not_selectable()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        // Folders named like files: the only names a selection can carry.
        await box.ShAsync("mkdir -p /workspace/real && echo secret > /workspace/real/f.csv && ln -s /workspace/real sub.csv && ln -s /etc etc.txt"
            + " && mkdir folder.csv && echo x > folder.csv/g.csv");

        var result = await box.TakeAsync("sub.csv", "sub.csv/f.csv", "f.csv", "etc.txt", "folder.csv", "g.csv");

        Assert.Empty(result.Accepted);
        Assert.Equal(
            [("sub.csv", RefusalKind.SymbolicLink), ("sub.csv/f.csv", RefusalKind.UnsafeName), ("f.csv", RefusalKind.NotFound),
             ("etc.txt", RefusalKind.SymbolicLink), ("folder.csv", RefusalKind.Directory), ("g.csv", RefusalKind.NotFound)],
            result.Refused.Select(r => (r.Name, r.Kind)));
        Assert.Empty(box.StoredFiles());
    }

    [Fact]
    public async Task A_hardlink_between_two_outbox_files_is_refused_with_its_target()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo 1 > a.csv && ln a.csv b.csv && echo 2 > c.csv");
        // Hard links from other mounts are impossible to begin with.
        Assert.NotEqual(0, (await box.Harness.ExecAsync(box.Harness.TeamA, "ln", "/data/persons.csv", "/outbox/p.csv")).ExitCode);

        var result = await box.TakeAsync("a.csv", "b.csv", "c.csv");

        Assert.Equal("c.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal([("a.csv", RefusalKind.HardLink), ("b.csv", RefusalKind.HardLink)], result.Refused.Select(r => (r.Name, r.Kind)));
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking_the_intake()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("mkfifo p.csv && echo ok > ok.csv");

        var result = await box.TakeAsync("p.csv", "ok.csv").WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal("ok.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal(RefusalKind.Fifo, Assert.Single(result.Refused).Kind);
    }

    [Fact]
    public async Task Unsafe_names_are_refused_and_shown_only_in_escaped_form()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo 1 > ./-rf.csv && printf 1 > \"$(printf 'a\\nb.csv')\" && echo 1 > 'a\\b.csv' && echo 1 > .hidden.csv"
            + " && echo 1 > a..b.csv && echo 1 > \"$(printf 'x\\377.csv')\" && echo 1 > 'a b.csv' && echo 1 > ok.csv");
        Assert.Equal("8", (await box.ShAsync("find . -type f -printf x | wc -c")).Trim());

        var result = await box.TakeAsync("-rf.csv", "a\nb.csv", "a\\b.csv", ".hidden.csv", "a..b.csv", "x\uFFFD.csv", "a b.csv",
            "ok.csv\n", "..", "../data/persons.csv", "/etc/passwd", "ok.csv");

        Assert.Equal("ok.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal(11, result.Refused.Count);
        Assert.All(result.Refused, r => Assert.Equal(RefusalKind.UnsafeName, r.Kind));
        Assert.All(result.Refused, r => Assert.Matches("^[ -~]+$", r.DisplayName));
        Assert.Equal("a\\nb.csv", result.Refused[1].DisplayName);
        Assert.Single(box.StoredFiles());
    }

    [Fact]
    public async Task A_file_over_the_per_file_limit_is_refused()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("head -c 2000 /dev/urandom > big.csv && head -c 1000 /dev/urandom > fits.csv");

        var result = await box.TakeAsync(new IntakeLimits { MaxFileBytes = 1000 }, "big.csv", "fits.csv");

        Assert.Equal(("fits.csv", 1000L), (Assert.Single(result.Accepted).Name, result.Accepted[0].Size));
        Assert.Equal(RefusalKind.FileTooLarge, Assert.Single(result.Refused).Kind);
        Assert.Single(box.StoredFiles());
    }

    [Fact]
    public async Task A_sparse_file_claiming_a_terabyte_is_refused_by_its_header_before_any_reading()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo 1 > a.csv && truncate -s 1T huge.csv && echo 1 > z.csv");
        var clock = Stopwatch.StartNew();

        var result = await box.TakeAsync("a.csv", "huge.csv", "z.csv");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal("a.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal([("huge.csv", RefusalKind.FileTooLarge), ("z.csv", RefusalKind.NotExamined)], result.Refused.Select(r => (r.Name, r.Kind)));
        Assert.Contains("1099511627776 bytes", result.Refused[0].Reason);
        Assert.Single(box.StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(box.Store.Root, "tmp")));
    }

    [Fact]
    public async Task More_files_than_the_request_limit_are_refused_as_a_whole()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("for i in $(seq 1 21); do echo $i > f$i.csv; done");

        var result = await box.TakeAsync([.. Enumerable.Range(1, 21).Select(i => $"f{i}.csv")]);

        Assert.Empty(result.Accepted);
        Assert.Equal(21, result.Refused.Count);
        Assert.All(result.Refused, r => Assert.Equal(RefusalKind.TooManyFiles, r.Kind));
        Assert.Empty(box.StoredFiles());
        Assert.Equal(20, (await box.TakeAsync([.. Enumerable.Range(1, 20).Select(i => $"f{i}.csv")])).Accepted.Count);
    }

    [Fact]
    public async Task More_bytes_than_the_request_limit_refuse_the_file_that_would_exceed_it()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("for i in 1 2 3; do head -c 400 /dev/urandom > f$i.csv; done");

        var result = await box.TakeAsync(new IntakeLimits { MaxRequestBytes = 1000 }, "f1.csv", "f2.csv", "f3.csv");

        Assert.Equal(["f1.csv", "f2.csv"], result.Accepted.Select(a => a.Name));
        Assert.Equal(("f3.csv", RefusalKind.RequestTooLarge), (Assert.Single(result.Refused).Name, result.Refused[0].Kind));
    }

    [Fact]
    public async Task Disallowed_extensions_are_refused()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo x > run.exe && echo 'print(1)' > a.py && echo a: 1 > a.yaml && echo x > T.CSV && echo x > noext && echo x > fig.png");

        var result = await box.TakeAsync("run.exe", "a.py", "a.yaml", "T.CSV", "noext", "fig.png");

        Assert.Equal(("fig.png", "image/png"), (Assert.Single(result.Accepted).Name, result.Accepted[0].MediaType));
        Assert.Equal(5, result.Refused.Count);
        Assert.All(result.Refused, r => Assert.Equal(RefusalKind.DisallowedExtension, r.Kind));
    }

    [Fact]
    public async Task A_selected_name_that_is_not_in_the_outbox_is_refused_as_not_found()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo x > here.csv");

        var result = await box.TakeAsync("here.csv", "missing.csv");

        Assert.Equal("here.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal(("missing.csv", RefusalKind.NotFound), (Assert.Single(result.Refused).Name, result.Refused[0].Kind));
        Assert.Equal("There is no file by this name directly in /outbox.", result.Refused[0].Reason);
    }

    [Fact]
    public async Task The_sandbox_user_cannot_create_device_nodes_in_the_outbox()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);

        var (exitCode, output) = await box.Harness.ExecAsync(box.Harness.TeamA, "mknod", "/outbox/null.csv", "c", "1", "3");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Operation not permitted", output);
        Assert.Equal("", (await box.ShAsync("ls -A")).Trim());
    }

    /// <summary>A started sandbox for team A, a store in its state folder and the intake.</summary>
    [Fact]
    public async Task A_setuid_file_and_a_hard_link_target_made_by_the_sandbox_user_are_refused_in_words_and_nothing_of_them_is_stored()
    {
        await using var box = await IntakeBox.StartAsync(postgres, docker);
        await box.ShAsync("echo 'a,1' > suid.csv && chmod u+s,g+s suid.csv && echo 'b,2' > linked.csv && ln linked.csv alias.csv");

        var result = await box.TakeAsync("suid.csv", "linked.csv");

        Assert.Empty(result.Accepted);
        Assert.Equal([("suid.csv", RefusalKind.SpecialPermissionBits), ("linked.csv", RefusalKind.HardLink)], result.Refused.Select(r => (r.Name, r.Kind)));
        Assert.Contains("chmod u-s,g-s,o-t", result.Refused[0].Reason);
        Assert.Empty(box.StoredFiles());
        Assert.Empty(Directory.GetFiles(Path.Combine(box.Store.Root, "tmp")));
    }

    [Fact]
    public async Task An_outbox_of_20000_entries_is_read_up_to_the_cap_and_what_lies_beyond_is_named_not_examined()
    {
        // 20,000 files need more inodes than the harness's small 64 MB workspace image has (about 16,000).
        await using var box = await IntakeBox.StartAsync(postgres, docker, workspaceQuotaMb: 256);
        await box.ShAsync("i=0; while [ $i -lt 20000 ]; do : > f$i.txt; i=$((i+1)); done");

        var listing = await box.Intake.ListAsync(box.Container, IntakeLimits.Default, Ct);
        var result = await box.TakeAsync("f1.txt", "f19999.txt");

        Assert.Contains("more than 10000 entries", listing.Problem);
        Assert.Equal(IntakeLimits.Default.MaxArchiveEntries - 1, listing.Entries.Count);   // the archive's first entry is /outbox itself
        // The archive's order is the folder's, not the names': which of the two lies beyond the cap is not known in advance.
        Assert.Equal(2, result.Accepted.Count + result.Refused.Count);
        Assert.All(result.Refused, r =>
        {
            Assert.Equal(RefusalKind.NotExamined, r.Kind);
            Assert.Contains("more than 10000 entries", r.Reason);
        });
        Assert.Equal(result.Accepted.Count, box.StoredFiles().Count);
    }

    private sealed class IntakeBox : IAsyncDisposable
    {
        private IntakeBox(SandboxHarness harness, string container)
        {
            Harness = harness;
            Container = container;
            Store = new ContentStore(Path.Combine(harness.State.Path, "store"));
            Intake = new OutboxIntake(harness.Runtime, Store);
        }

        public SandboxHarness Harness { get; }
        public string Container { get; }
        public ContentStore Store { get; }
        public OutboxIntake Intake { get; }

        public static async Task<IntakeBox> StartAsync(PostgresFixture postgres, DockerFixture docker, int? workspaceQuotaMb = null)
        {
            var harness = await SandboxHarness.StartAsync(postgres, docker);
            try
            {
                if (workspaceQuotaMb is { } quota) harness.Options.WorkspaceQuotaMb = quota;
                await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
                return new IntakeBox(harness, await harness.ContainerNameAsync(harness.TeamA));
            }
            catch
            {
                await harness.DisposeAsync();
                throw;
            }
        }

        /// <summary>Runs a shell command in /outbox as the sandbox user; it must succeed.</summary>
        public async Task<string> ShAsync(string script)
        {
            var (exitCode, output) = await Harness.ExecAsync(Harness.TeamA, "sh", "-c", $"cd /outbox && {script}");
            Assert.True(exitCode == 0, $"sandbox command failed ({exitCode}): {output}");
            return output;
        }

        public Task<IntakeResult> TakeAsync(params string[] names) => TakeAsync(IntakeLimits.Default, names);

        public Task<IntakeResult> TakeAsync(IntakeLimits limits, params string[] names) => Intake.TakeSnapshotAsync(Container, names, limits, Ct);

        public IReadOnlyList<string> StoredFiles() => Directory.GetFiles(Path.Combine(Store.Root, "sha256"), "*", SearchOption.AllDirectories);

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }
}
