namespace Datakamp.Domain.Releases;

/// <summary>
/// A team's request to take files out of its sandbox, and its whole history. Every state change is a
/// method; a change the state machine does not allow throws <see cref="InvalidTransitionException"/>.
/// <para>
/// Review: <see cref="RequiredVotes"/> checkers (1, or 2 under the two-checker policy) each review every
/// file of the current version, blind: until all votes are in, a checker sees only their own
/// (<see cref="VotesVisibleTo"/>). Nobody reviews a request of their own team. When the last vote is
/// in, each file's outcome is the strictest of its votes (reject over return over approve with suppression
/// over approve), and the
/// request is Returned if any file is returned, Rejected if every file is rejected, else Approved (the
/// approved files, and only those, may be published).
/// </para>
/// </summary>
public sealed class ReleaseRequest
{
    private readonly List<ReviewVote> _votes = [];
    private readonly List<(ReleaseState From, ReleaseState To, DateTimeOffset At)> _history = [];

    public ReleaseRequest(long id, long teamId, string purpose, IReadOnlyList<string> files, int requiredVotes)
    {
        if (string.IsNullOrWhiteSpace(purpose)) throw new DomainValidationException("purpose", "say what the outputs are for");
        if (files.Count == 0) throw new DomainValidationException("files", "a request needs at least one file");
        if (files.Distinct(StringComparer.Ordinal).Count() != files.Count) throw new DomainValidationException("files", "a file is listed twice");
        if (requiredVotes is not (1 or 2)) throw new DomainValidationException("requiredVotes", "one or two checkers review a request");
        Id = id;
        TeamId = teamId;
        Purpose = purpose;
        Files = files;
        RequiredVotes = requiredVotes;
    }

    /// <summary>
    /// Rebuilds a stored request as it was recorded (state, version, votes and history are taken, not replayed).
    /// The outcome of a completed review is derived again from the votes of the current version.
    /// </summary>
    public static ReleaseRequest Restore(long id, long teamId, string purpose, int requiredVotes, ReleaseState state, int version,
        IReadOnlyList<string> files, IEnumerable<ReviewVote> votes, IEnumerable<(ReleaseState From, ReleaseState To, DateTimeOffset At)> history)
    {
        var request = new ReleaseRequest(id, teamId, purpose, files, requiredVotes) { State = state, Version = version };
        request._votes.AddRange(votes);
        request._history.AddRange(history);
        if (state is ReleaseState.Approved or ReleaseState.Rejected or ReleaseState.Returned or ReleaseState.Published)
        {
            var current = request.CurrentVotes;
            if (current.Count < requiredVotes || files.Any(f => current.Any(v => !v.Files.ContainsKey(f))))
                throw new DomainValidationException("votes", $"request {id} is {state} but the votes of version {version} are incomplete");
            request.Outcome = files.ToDictionary(f => f, f => current.Select(v => v.Files[f].Decision).Max());
        }
        return request;
    }

    public long Id { get; }
    public long TeamId { get; }
    public string Purpose { get; }
    public int RequiredVotes { get; }
    public ReleaseState State { get; private set; } = ReleaseState.Draft;

    /// <summary>1 for the first submission; each resubmission after a return is a new version.</summary>
    public int Version { get; private set; } = 1;

    /// <summary>The files of the current version (names in the team's outbox snapshot).</summary>
    public IReadOnlyList<string> Files { get; private set; }

    /// <summary>Each file's outcome once the review of the current version is complete.</summary>
    public IReadOnlyDictionary<string, FileDecision> Outcome { get; private set; } = new Dictionary<string, FileDecision>();

    public IReadOnlyList<ReviewVote> AllVotes => _votes;
    public IReadOnlyList<(ReleaseState From, ReleaseState To, DateTimeOffset At)> History => _history;

    public void Submit(DateTimeOffset at) => Move(ReleaseState.Submitted, at, ReleaseState.Draft);

    /// <summary>The automated check has stored its verdicts.</summary>
    public void MarkChecked(DateTimeOffset at) => Move(ReleaseState.Checked, at, ReleaseState.Submitted);

    /// <summary>A checker opened the request for review.</summary>
    public void StartReview(DateTimeOffset at) => Move(ReleaseState.InReview, at, ReleaseState.Checked);

    public void Withdraw(DateTimeOffset at) => Move(ReleaseState.Withdrawn, at, ReleaseState.Draft, ReleaseState.Submitted, ReleaseState.Returned);

    public void Publish(DateTimeOffset at) => Move(ReleaseState.Published, at, ReleaseState.Approved);

    /// <summary>A new version after a return: other files (changed as the checkers asked), reviewed afresh.</summary>
    public void Resubmit(IReadOnlyList<string> files, DateTimeOffset at)
    {
        if (State != ReleaseState.Returned) throw new InvalidTransitionException(State, ReleaseState.Submitted, "only a returned request can be resubmitted");
        if (files.Count == 0) throw new DomainValidationException("files", "a request needs at least one file");
        Files = files;
        Version++;
        Outcome = new Dictionary<string, FileDecision>();
        Move(ReleaseState.Submitted, at, ReleaseState.Returned);
    }

    /// <summary>
    /// Records a checker's review of the current version. <paramref name="checkerTeamIds"/> are the teams
    /// the checker belongs to: a checker never reviews their own team.
    /// </summary>
    public void Vote(long checkerAccountId, IReadOnlyCollection<long> checkerTeamIds, IReadOnlyDictionary<string, FileReview> files, DateTimeOffset at)
    {
        if (State != ReleaseState.InReview) throw new InvalidTransitionException(State, ReleaseState.InReview, "votes are cast while the request is in review");
        if (checkerTeamIds.Contains(TeamId)) throw new ReviewNotAllowedException("A checker never reviews a request of their own team.");
        if (CurrentVotes.Any(v => v.CheckerAccountId == checkerAccountId)) throw new ReviewNotAllowedException("This checker has reviewed this version already.");
        var missing = Files.Where(f => !files.ContainsKey(f)).ToList();
        if (missing.Count > 0) throw new ReviewNotAllowedException($"Every file needs a decision; missing: {string.Join(", ", missing)}.");
        var unknown = files.Keys.Where(f => !Files.Contains(f)).ToList();
        if (unknown.Count > 0) throw new ReviewNotAllowedException($"Not a file of this request: {string.Join(", ", unknown)}.");
        var uncommented = files.Where(f => string.IsNullOrWhiteSpace(f.Value.Comment)).Select(f => f.Key).ToList();
        if (uncommented.Count > 0) throw new ReviewNotAllowedException($"Every decision needs a comment; missing for: {string.Join(", ", uncommented)}.");

        _votes.Add(new ReviewVote(checkerAccountId, Version, files, at));
        if (CurrentVotes.Count < RequiredVotes) return;

        Outcome = Files.ToDictionary(f => f, f => CurrentVotes.Select(v => v.Files[f].Decision).Max());
        var next = Outcome.Values.Any(d => d == FileDecision.Return) ? ReleaseState.Returned
            : Outcome.Values.All(d => d == FileDecision.Reject) ? ReleaseState.Rejected
            : ReleaseState.Approved;
        Move(next, at, ReleaseState.InReview);
    }

    /// <summary>
    /// The files that may be published: approved by every vote of the final version, as they are or with suppression
    /// (<see cref="Outcome"/> says which).
    /// </summary>
    public IReadOnlyList<string> ApprovedFiles =>
        State is ReleaseState.Approved or ReleaseState.Published
            ? Files.Where(f => Outcome[f] is FileDecision.Approve or FileDecision.ApproveWithSuppression).ToList()
            : [];

    /// <summary>Blind review: until every vote of this version is in, a checker sees only their own.</summary>
    public IReadOnlyList<ReviewVote> VotesVisibleTo(long checkerAccountId) =>
        State == ReleaseState.InReview ? CurrentVotes.Where(v => v.CheckerAccountId == checkerAccountId).ToList() : CurrentVotes;

    private List<ReviewVote> CurrentVotes => _votes.Where(v => v.Version == Version).ToList();

    private void Move(ReleaseState to, DateTimeOffset at, params ReleaseState[] allowedFrom)
    {
        if (!allowedFrom.Contains(State)) throw new InvalidTransitionException(State, to);
        _history.Add((State, to, at));
        State = to;
    }
}
