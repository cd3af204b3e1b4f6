using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Datakamp.Releases;
using Datakamp.TestSupport;

namespace Datakamp.Releases.Tests;

/// <summary>
/// The tar walker on archives no sandbox user can produce (device nodes, duplicates, lying headers), and the content
/// store's own guarantees: byte caps, address validation, immutability and tamper detection.
/// </summary>
public sealed class OutboxTarAndStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = TestEnvironment.CreateScratchDirectory("store");
    private readonly ContentStore _store;
    private readonly OutboxIntake _intake;

    public OutboxTarAndStoreTests()
    {
        _store = new ContentStore(_root);
        _intake = new OutboxIntake(null!, _store);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Character_and_block_device_entries_are_refused_by_the_tar_walker()
    {
        using var tar = Tar(writer =>
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "outbox/"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "outbox/null.csv") { DeviceMajor = 1, DeviceMinor = 3 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.BlockDevice, "outbox/sda.csv") { DeviceMajor = 8, DeviceMinor = 0 });
            writer.WriteEntry(File("outbox/ok.csv", "a,1\n"));
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["null.csv", "sda.csv", "ok.csv"], IntakeLimits.Default, Ct);

        Assert.Equal("ok.csv", Assert.Single(result.Accepted).Name);
        Assert.Equal([("null.csv", RefusalKind.Device), ("sda.csv", RefusalKind.Device)], result.Refused.Select(r => (r.Name, r.Kind)));
    }

    [Fact]
    public async Task A_name_appearing_twice_in_the_archive_is_refused_rather_than_taken_from_either_copy()
    {
        using var tar = Tar(writer =>
        {
            writer.WriteEntry(File("outbox/t.csv", "first\n"));
            writer.WriteEntry(File("outbox/t.csv", "second\n"));
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["t.csv"], IntakeLimits.Default, Ct);

        Assert.Empty(result.Accepted);
        Assert.Equal(RefusalKind.Duplicate, Assert.Single(result.Refused).Kind);
    }

    [Fact]
    public async Task Entries_outside_the_outbox_folder_or_below_a_sub_folder_are_never_matched()
    {
        using var tar = Tar(writer =>
        {
            writer.WriteEntry(File("etc/passwd.txt", "root:x:0:0\n"));
            writer.WriteEntry(File("outbox/sub/deep.csv", "x\n"));
            writer.WriteEntry(File("outbox/../escape.csv", "x\n"));
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["passwd.txt", "deep.csv", "escape.csv"], IntakeLimits.Default, Ct);

        Assert.Empty(result.Accepted);
        Assert.All(result.Refused, r => Assert.Equal(RefusalKind.NotFound, r.Kind));
    }

    [Fact]
    public async Task An_archive_cut_short_refuses_what_it_could_not_deliver()
    {
        var full = Tar(writer => writer.WriteEntry(File("outbox/t.csv", new string('x', 5000))));
        using var cut = new MemoryStream(full.ToArray()[..2048]);

        var result = await _intake.TakeSnapshotFromTarAsync(cut, ["t.csv"], IntakeLimits.Default, Ct);

        Assert.Empty(result.Accepted);
        Assert.Single(result.Refused);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public async Task The_store_counts_actual_bytes_and_refuses_more_than_the_cap_leaving_nothing_behind()
    {
        using var content = new MemoryStream(new byte[1001]);

        await Assert.ThrowsAsync<ContentTooLargeException>(() => _store.PutAsync(content, 1000, Ct));

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        var exact = await _store.PutAsync(new MemoryStream(new byte[1000]), 1000, Ct);
        Assert.Equal(1000, exact.Size);
    }

    [Fact]
    public async Task The_store_addresses_content_by_sha256_read_only_and_storing_it_again_is_idempotent()
    {
        var bytes = Encoding.UTF8.GetBytes("wijk,count\nA,12\n");

        var first = await _store.PutAsync(new MemoryStream(bytes), 100, Ct);
        var again = await _store.PutAsync(new MemoryStream(bytes), 100, Ct);

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(new StoredContent(hash, bytes.Length), first);
        Assert.Equal(first, again);
        var path = Path.Combine(_root, "sha256", hash[..2], hash[2..4], hash);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, System.IO.File.GetUnixFileMode(path));
        Assert.Equal(bytes, await _store.ReadAllBytesAsync(hash, Ct));
        Assert.Single(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, System.IO.File.GetUnixFileMode(_root));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678g")]
    [InlineData("")]
    public async Task The_store_rejects_anything_but_64_lower_case_hex_as_an_address(string hash)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(hash, Ct));
        Assert.False(_store.Contains(hash));
    }

    [Fact]
    public async Task A_tampered_store_file_is_detected_on_reading()
    {
        var stored = await _store.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("safe,1\n")), 100, Ct);
        var path = _store.PathFor(stored.Sha256);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await System.IO.File.WriteAllTextAsync(path, "evil,1\n", Ct);

        await Assert.ThrowsAsync<ContentTamperedException>(() => _store.OpenReadAsync(stored.Sha256, Ct));
    }

    [Fact]
    public async Task A_hard_link_target_is_refused_and_never_reaches_the_store()
    {
        using var tar = Tar(writer =>
        {
            writer.WriteEntry(File("outbox/a.csv", "secret,1\n"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "outbox/b.csv") { LinkName = "outbox/a.csv" });
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["a.csv"], IntakeLimits.Default, Ct);

        Assert.Empty(result.Accepted);
        Assert.Equal(RefusalKind.HardLink, Assert.Single(result.Refused).Kind);
        AssertStoreEmpty();
    }

    [Fact]
    public async Task A_duplicated_name_never_reaches_the_store()
    {
        using var tar = Tar(writer =>
        {
            writer.WriteEntry(File("outbox/t.csv", "first\n"));
            writer.WriteEntry(File("outbox/t.csv", "second\n"));
        });

        await _intake.TakeSnapshotFromTarAsync(tar, ["t.csv"], IntakeLimits.Default, Ct);

        AssertStoreEmpty();
    }

    [Theory]
    [InlineData(UnixFileMode.SetUser)]
    [InlineData(UnixFileMode.SetGroup)]
    [InlineData(UnixFileMode.StickyBit)]
    public async Task A_file_with_the_setuid_setgid_or_sticky_bit_is_refused_in_words_and_not_stored(UnixFileMode bit)
    {
        using var tar = Tar(writer =>
        {
            var entry = File("outbox/t.csv", "a,1\n");
            entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | bit;
            writer.WriteEntry(entry);
            writer.WriteEntry(File("outbox/ok.csv", "b,2\n"));
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["t.csv", "ok.csv"], IntakeLimits.Default, Ct);

        var refused = Assert.Single(result.Refused);
        Assert.Equal(RefusalKind.SpecialPermissionBits, refused.Kind);
        Assert.Contains("setuid, setgid or sticky bit", refused.Reason);
        Assert.Equal("ok.csv", Assert.Single(result.Accepted).Name);
        Assert.Single(Directory.GetFiles(System.IO.Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_outbox_of_20000_entries_stops_at_the_cap_and_names_what_was_not_examined()
    {
        using var tar = Tar(writer =>
        {
            for (var i = 0; i < 20_000; i++) writer.WriteEntry(File($"outbox/f{i:D5}.txt", "x"));
        });

        var result = await _intake.TakeSnapshotFromTarAsync(tar, ["f00001.txt", "f19999.txt"], IntakeLimits.Default, Ct);

        Assert.Equal("f00001.txt", Assert.Single(result.Accepted).Name);
        var refused = Assert.Single(result.Refused);
        Assert.Equal(("f19999.txt", RefusalKind.NotExamined), (refused.Name, refused.Kind));
        Assert.Contains("more than 10000 entries", refused.Reason);

        tar.Position = 0;
        var listing = await OutboxListing.ReadAsync(tar, IntakeLimits.Default, Ct);
        Assert.Equal(IntakeLimits.Default.MaxArchiveEntries, listing.Entries.Count);
        Assert.Contains("more than 10000 entries", listing.Problem);
    }

    private void AssertStoreEmpty()
    {
        Assert.Empty(Directory.GetFiles(System.IO.Path.Combine(_root, "sha256"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(System.IO.Path.Combine(_root, "tmp")));
    }

    private static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    private static MemoryStream Tar(Action<TarWriter> write)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            write(writer);
        stream.Position = 0;
        return stream;
    }
}
