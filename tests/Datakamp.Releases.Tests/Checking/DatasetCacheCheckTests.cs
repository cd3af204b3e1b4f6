using System.Text.Json;
using Datakamp.Disclosure.Microdata;
using Datakamp.Domain.Releases;
using Datakamp.TestSupport;

namespace Datakamp.Releases.Tests;

/// <summary>
/// The automated check reads a dataset's columnar cache (built at registration, or at its first check), never trusts a
/// cache of other bytes, and keeps the cache out of anything a team controls.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class DatasetCacheCheckTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_dataset_cached_at_registration_is_checked_from_its_cache_with_the_tables_of_the_csv()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        Assert.Equal(CacheBuild.Built, await h.Caches.BuildAsync(h.Persons.FilePath, h.Persons.Sha256, Ct));
        Assert.Equal(h.Persons.Sha256, MicrodataCacheBuilder.BuiltFrom(h.Caches.PathOf(h.Persons.Sha256)));

        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        var table = await h.FileAsync(id, "by_wijk.csv");
        Assert.Equal(AutomatedCheck.Fail, table.Check);
        using var verdict = JsonDocument.Parse(table.CheckVerdictJson!);
        var microdata = verdict.RootElement.GetProperty("microdata");
        Assert.Equal("cache", microdata.GetProperty("read_from").GetString());
        Assert.Equal(h.Persons.Sha256, microdata.GetProperty("sha256").GetString());
        // The harness's hand-made data: 3 persons in WK01 (one with two rows), 12 in WK02.
        var units = verdict.RootElement.GetProperty("files")[0].GetProperty("cells").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("units").GetInt32());
        Assert.Equal(3, units["wijk=WK01"]);
        Assert.Equal(12, units["wijk=WK02"]);
    }

    [Fact]
    public async Task A_dataset_registered_without_a_cache_gets_one_at_its_first_check()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        Assert.Null(MicrodataCacheBuilder.BuiltFrom(h.Caches.PathOf(h.Persons.Sha256)));

        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        using var verdict = JsonDocument.Parse((await h.FileAsync(id, "by_wijk.csv")).CheckVerdictJson!);
        Assert.Equal("cache", verdict.RootElement.GetProperty("microdata").GetProperty("read_from").GetString());
        Assert.Equal(h.Persons.Sha256, MicrodataCacheBuilder.BuiltFrom(h.Caches.PathOf(h.Persons.Sha256)));
    }

    [Fact]
    public async Task A_csv_changed_after_its_cache_was_built_fails_the_check_and_the_old_cache_is_not_used()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        Assert.Equal(CacheBuild.Built, await h.Caches.BuildAsync(h.Persons.FilePath, h.Persons.Sha256, Ct));
        await File.AppendAllTextAsync(h.Persons.FilePath, "P16,WK02,130\n", Ct);

        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        var table = await h.FileAsync(id, "by_wijk.csv");
        Assert.Equal(AutomatedCheck.Fail, table.Check);
        Assert.Contains("changed since it was registered", table.CheckSummary);
    }

    [Fact]
    public async Task A_file_that_is_not_a_csv_the_checks_can_read_is_not_cached_and_nothing_is_left_behind()
    {
        using var folder = new ScratchFolder();
        var csv = Path.Combine(folder.Path, "ragged.csv");
        await File.WriteAllTextAsync(csv, "person_id,wijk\nP1,WK01,extra\n", Ct);
        var caches = DatasetCaches.In(folder.Path);
        var sha = new string('a', 64);

        Assert.Equal(CacheBuild.NotCacheable, await caches.BuildAsync(csv, sha, Ct));
        Assert.False(File.Exists(caches.PathOf(sha)));
        Assert.Empty(Directory.Exists(caches.Directory) ? Directory.GetFiles(caches.Directory) : []);
    }

    [Fact]
    public async Task A_new_file_is_cached_in_one_read_under_its_sha256_with_its_columns_size_and_whether_it_is_utf8()
    {
        using var folder = new ScratchFolder();
        var csv = Path.Combine(folder.Path, "persons.csv");
        var latin1 = Path.Combine(folder.Path, "latin1.csv");
        await File.WriteAllTextAsync(csv, "person_id,wijk,income\nP1,WK01,100\nP2,WK02,\n", Ct);
        await File.WriteAllBytesAsync(latin1, [.. "person_id,wijk\nP1,"u8.ToArray(), 0xE9, 0x0A], Ct);   // "é" in Latin-1
        var caches = DatasetCaches.In(folder.Path);

        var built = await caches.BuildNewAsync(csv, Ct);
        var notUtf8 = await caches.BuildNewAsync(latin1, Ct);

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(csv, Ct)));
        Assert.NotNull(built);
        Assert.Equal(sha, built.Sha256);
        Assert.Equal(new FileInfo(csv).Length, built.Length);
        Assert.Equal(["person_id", "wijk", "income"], built.Columns);
        Assert.True(built.IsUtf8);
        Assert.Equal(caches.PathOf(sha), built.CachePath);
        Assert.Equal(sha, MicrodataCacheBuilder.BuiltFrom(caches.PathOf(sha)));
        Assert.NotNull(notUtf8);
        Assert.False(notUtf8.IsUtf8);
        Assert.Null(await caches.BuildNewAsync(Path.Combine(folder.Path, "nothing.csv"), Ct));
    }

    [Fact]
    public async Task A_cache_built_from_bytes_other_than_the_registered_ones_is_deleted()
    {
        using var folder = new ScratchFolder();
        var csv = Path.Combine(folder.Path, "persons.csv");
        await File.WriteAllTextAsync(csv, "person_id,wijk\nP1,WK01\n", Ct);
        var caches = DatasetCaches.In(folder.Path);
        var registered = new string('b', 64);   // what the file hashed to when it was registered, before it changed

        Assert.Equal(CacheBuild.FileChanged, await caches.BuildAsync(csv, registered, Ct));
        Assert.False(File.Exists(caches.PathOf(registered)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public void Only_a_lower_case_sha256_names_a_cache_file(string name) =>
        Assert.Throws<ArgumentException>(() => DatasetCaches.In("/tmp/x").PathOf(name));
}
