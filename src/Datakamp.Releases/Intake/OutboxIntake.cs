using System.Formats.Tar;
using Datakamp.Docker;

namespace Datakamp.Releases;

/// <summary>
/// Issue #5 item 2: copies what a team selected from its sandbox's <c>/outbox</c> into the content store, as a
/// snapshot. The outbox is read only through <see cref="ISandboxRuntime.ReadOutboxAsync"/> of the fixed path /outbox (on
/// Docker <c>GET /containers/{id}/archive?path=/outbox</c>; the engine never resolves a team-chosen path), a tar in which nothing is followed; the tar is walked in memory, never extracted.
/// Only regular files directly in /outbox with a safe, selected name and an allowed ending are taken, each streamed
/// into <see cref="ContentStore.PutAsync(Stream, long, CancellationToken)"/> within the caps; everything else selected is refused with a reason.
/// </summary>
public sealed class OutboxIntake(ISandboxRuntime runtime, ContentStore store)
{
    /// <summary>The only path ever asked of the runtime.</summary>
    public const string OutboxPath = "/outbox";

    private const string Prefix = "outbox/";

    /// <summary>Takes a snapshot of the selected files in the container's /outbox.</summary>
    public async Task<IntakeResult> TakeSnapshotAsync(string containerName, IReadOnlyCollection<string> selectedNames, IntakeLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selectedNames);
        ArgumentNullException.ThrowIfNull(limits);
        using var walk = new Walk(store, limits);
        if (!walk.Select(selectedNames))
            return walk.Finish();

        var archive = await runtime.ReadOutboxAsync(containerName, OutboxPath, limits.ArchiveTimeout, cancellationToken);
        if (archive is null)
        {
            walk.StopAll(RefusalKind.OutboxUnavailable, "The sandbox has no /outbox folder (or no longer exists); nothing was taken.");
            return walk.Finish();
        }
        await using (archive)
        {
            if (!archive.Stat.IsDirectory || archive.Stat.IsSymlink)
            {
                walk.StopAll(RefusalKind.OutboxUnavailable, "/outbox in the sandbox is not a plain folder; nothing was taken.");
                return walk.Finish();
            }
            await walk.RunAsync(archive.Tar, cancellationToken);
        }
        return walk.Finish();
    }

    /// <summary>
    /// What is in the container's /outbox, read the same way as <see cref="TakeSnapshotAsync"/> (one archive of the fixed
    /// path, nothing followed, nothing stored): every direct entry with whether intake would take it and, for the
    /// helper's description and spec files, their text, so the team sees what it is about to submit.
    /// </summary>
    public async Task<OutboxListing> ListAsync(string containerName, IntakeLimits limits, CancellationToken cancellationToken)
    {
        var archive = await runtime.ReadOutboxAsync(containerName, OutboxPath, limits.ArchiveTimeout, cancellationToken);
        if (archive is null)
        {
            return OutboxListing.Unavailable("The sandbox has no /outbox folder (or no longer exists).");
        }
        await using (archive)
        {
            if (!archive.Stat.IsDirectory || archive.Stat.IsSymlink) return OutboxListing.Unavailable("/outbox in the sandbox is not a plain folder.");
            return await OutboxListing.ReadAsync(archive.Tar, limits, cancellationToken);
        }
    }

    private const UnixFileMode SpecialBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    /// <summary>Why an archive entry is never taken (not a plain regular file, or one with setuid/setgid/sticky bits); null when it may be.</summary>
    internal static (RefusalKind Kind, string Reason)? EntryRefusal(TarEntry entry) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile when (entry.Mode & SpecialBits) != 0 =>
            (RefusalKind.SpecialPermissionBits, "This file has the setuid, setgid or sticky bit set, which no output needs; it is not taken. "
                + "Clear it in the sandbox (chmod u-s,g-s,o-t FILE) and select it again."),
        TarEntryType.RegularFile or TarEntryType.V7RegularFile => null,
        TarEntryType.SymbolicLink => (RefusalKind.SymbolicLink, "This is a symbolic link, not a file; links are never followed or taken. Copy the file itself into /outbox."),
        TarEntryType.HardLink => (RefusalKind.HardLink, "This is a hard link to another file; hard-linked files are not taken. Copy the file instead of linking it."),
        TarEntryType.Fifo => (RefusalKind.Fifo, "This is a named pipe (FIFO), not a file; it cannot be taken."),
        TarEntryType.CharacterDevice or TarEntryType.BlockDevice => (RefusalKind.Device, "This is a device node, not a file; it cannot be taken."),
        TarEntryType.Directory => (RefusalKind.Directory, "This is a folder. Only files directly in /outbox can be selected, not folders or what is in them."),
        _ => (RefusalKind.UnsupportedEntry, "This is not a regular file (unsupported archive entry); it cannot be taken."),
    };

    /// <summary>The name directly under <c>outbox/</c>, with whether the entry is deeper; null outside the outbox.</summary>
    internal static string? DirectChild(string entryName, out bool nested)
    {
        nested = false;
        if (!entryName.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var rest = entryName[Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return rest.Length == 0 ? null : rest;
        // "outbox/sub/" is the folder itself; anything after its slash is below it.
        nested = slash < rest.Length - 1;
        return rest[..slash];
    }

    /// <summary>
    /// Walks a tar of /outbox (entries named <c>outbox/NAME</c>, as the engine's archive API makes them) and takes the
    /// selected files into the store. The stream is read once, forwards, and not disposed.
    /// </summary>
    public async Task<IntakeResult> TakeSnapshotFromTarAsync(Stream tar, IReadOnlyCollection<string> selectedNames, IntakeLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(selectedNames);
        ArgumentNullException.ThrowIfNull(limits);
        using var walk = new Walk(store, limits);
        if (walk.Select(selectedNames))
            await walk.RunAsync(tar, cancellationToken);
        return walk.Finish();
    }

    /// <summary>
    /// One request's walk: what is wanted, what was read, what was refused. What is read is only staged; it is stored
    /// when the whole archive has been seen (<see cref="Finish"/>), so an entry refused late (a hard link to it, or its
    /// name again further on) never reaches the store. Disposing removes whatever is still staged.
    /// </summary>
    private sealed class Walk(ContentStore store, IntakeLimits limits) : IDisposable
    {
        private readonly Dictionary<string, StagedContent> _staged = new(StringComparer.Ordinal);
        private readonly List<string> _wanted = [];
        private readonly Dictionary<string, AcceptedOutput> _accepted = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RefusedOutput> _refused = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly HashSet<string> _hardLinkTargets = new(StringComparer.Ordinal);
        private long _acceptedBytes;
        private long _passedBytes;

        /// <summary>Checks the selection itself; false when nothing is left to look for.</summary>
        public bool Select(IReadOnlyCollection<string> selectedNames)
        {
            foreach (var name in selectedNames.Distinct(StringComparer.Ordinal))
            {
                _order.Add(name);
                if (OutboxNames.Refusal(name) is { } refusal)
                    Refuse(name, refusal.Kind, refusal.Reason);
                else
                    _wanted.Add(name);
            }
            if (_wanted.Count > limits.MaxFiles)
            {
                StopAll(RefusalKind.TooManyFiles, $"The request selects {_wanted.Count} files; at most {limits.MaxFiles} can be taken in one request. "
                    + "Nothing was taken; split the request.");
                return false;
            }
            return _wanted.Count > 0;
        }

        /// <summary>Refuses every wanted name that has no verdict yet.</summary>
        public void StopAll(RefusalKind kind, string reason)
        {
            foreach (var name in _wanted)
                if (!_accepted.ContainsKey(name) && !_refused.ContainsKey(name))
                    Refuse(name, kind, reason);
        }

        public async Task RunAsync(Stream tar, CancellationToken cancellationToken)
        {
            string? stopped = null;
            var wanted = _wanted.ToHashSet(StringComparer.Ordinal);
            var entries = 0;
            try
            {
                using var reader = new TarReader(tar, leaveOpen: true);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (++entries > limits.MaxArchiveEntries)
                    {
                        stopped = $"The outbox holds more than {limits.MaxArchiveEntries} entries; it was not read further. Remove what you do not need from /outbox and try again.";
                        break;
                    }
                    var child = DirectChild(entry.Name, out var nested);
                    if (entry.EntryType == TarEntryType.HardLink && DirectChild(entry.LinkName, out var linkNested) is { } target && !linkNested)
                        _hardLinkTargets.Add(target);

                    if (child is not null && !nested && wanted.Contains(child))
                    {
                        if (!_seen.Add(child))
                        {
                            Unaccept(child);
                            Refuse(child, RefusalKind.Duplicate, "The outbox archive holds this name more than once; it was not taken.", replace: true);
                        }
                        else
                        {
                            await TakeAsync(child, entry, cancellationToken);
                        }
                    }

                    // Whatever was not read of this entry is passed over by the reader: only within the budget.
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.SparseFile
                        && !_accepted.ContainsKey(child ?? ""))
                    {
                        if (entry.Length > limits.MaxArchiveBytes - _passedBytes)
                        {
                            stopped = $"The outbox holds a file claiming {entry.Length} bytes, too large to pass over; the outbox was not read further. "
                                + "Remove that file from /outbox and try again.";
                            break;
                        }
                        _passedBytes += entry.Length;
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                stopped = "The outbox could not be read completely (the archive from the sandbox was malformed); nothing further was taken.";
            }
            catch (DockerTimeoutException)
            {
                stopped = $"Reading the outbox took longer than {limits.ArchiveTimeout.TotalSeconds:0} seconds; nothing further was taken.";
            }

            foreach (var target in _hardLinkTargets)
                if (Unaccept(target))
                {
                    Refuse(target, RefusalKind.HardLink, "Another name in the outbox is a hard link to this file; hard-linked files are not taken. "
                        + "Copy the file instead of linking it.", replace: true);
                }

            if (stopped is not null)
                StopAll(RefusalKind.NotExamined, stopped);
            else
                StopAll(RefusalKind.NotFound, "There is no file by this name directly in /outbox.");
        }

        private async Task TakeAsync(string name, TarEntry entry, CancellationToken cancellationToken)
        {
            if (EntryRefusal(entry) is { } refusal)
            {
                Refuse(name, refusal.Kind, refusal.Reason);
                return;
            }
            if (entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(k => k.StartsWith("GNU.sparse", StringComparison.Ordinal)))
            {
                Refuse(name, RefusalKind.UnsupportedEntry, "This file is stored sparse in the archive; it cannot be taken. Write it out as an ordinary file.");
                return;
            }
            if (entry.Length > limits.MaxFileBytes)
            {
                Refuse(name, RefusalKind.FileTooLarge, $"The file is {entry.Length} bytes; at most {limits.MaxFileBytes} bytes per file can be taken.");
                return;
            }
            if (entry.Length > limits.MaxRequestBytes - _acceptedBytes)
            {
                Refuse(name, RefusalKind.RequestTooLarge, $"Taking this file ({entry.Length} bytes) would bring the request over {limits.MaxRequestBytes} bytes in total.");
                return;
            }

            StagedContent staged;
            try
            {
                // The per-file cap again, on the bytes actually read (the header is the team's word).
                staged = await store.StageAsync(entry.DataStream ?? Stream.Null, Math.Min(limits.MaxFileBytes, entry.Length), entry.Length, cancellationToken);
            }
            catch (ContentTooLargeException)
            {
                Refuse(name, RefusalKind.FileTooLarge, $"The file has more bytes than its archive header says or than {limits.MaxFileBytes}; it was not taken.");
                return;
            }
            catch (ContentLengthMismatchException)
            {
                Refuse(name, RefusalKind.UnsupportedEntry, "The file was cut short in the archive from the sandbox; it was not taken.");
                return;
            }
            _staged[name] = staged;
            _passedBytes += staged.Size;
            _acceptedBytes += staged.Size;
            _accepted[name] = new AcceptedOutput(name, staged.Size, staged.Sha256, OutboxNames.MediaTypeOf(name)!);
        }

        /// <summary>Takes back an accepted entry (its staged copy is removed); false when it was not accepted.</summary>
        private bool Unaccept(string name)
        {
            if (!_accepted.Remove(name, out var earlier)) return false;
            _acceptedBytes -= earlier.Size;
            if (_staged.Remove(name, out var staged)) staged.Dispose();
            return true;
        }

        private void Refuse(string name, RefusalKind kind, string reason, bool replace = false)
        {
            if (replace || !_refused.ContainsKey(name))
                _refused[name] = new RefusedOutput(name, kind, reason);
        }

        /// <summary>Stores what was accepted and returns the result.</summary>
        public IntakeResult Finish()
        {
            foreach (var name in _accepted.Keys)
                store.Commit(_staged[name]);
            return new IntakeResult(
                [.. _order.Where(_accepted.ContainsKey).Select(n => _accepted[n])],
                [.. _order.Where(_refused.ContainsKey).Select(n => _refused[n])]);
        }

        public void Dispose()
        {
            foreach (var staged in _staged.Values) staged.Dispose();
        }
    }
}
