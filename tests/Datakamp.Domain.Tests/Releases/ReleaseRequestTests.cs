using Datakamp.Domain.Releases;

namespace Datakamp.Domain.Tests.Releases;

/// <summary>Every legal and illegal move of a release request (the state diagram on <see cref="ReleaseState"/>), and the review rules.</summary>
public sealed class ReleaseRequestTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 14, 0, 0, TimeSpan.Zero);
    private const long TeamNoord = 1, TeamZuid = 2, Chris = 10, Dana = 11;

    private static ReleaseRequest New(int votes = 1, params string[] files) =>
        new(1, TeamNoord, "Debt assistance by district", files.Length == 0 ? ["income.csv", "plot.png"] : files, votes);

    private static ReleaseRequest InReview(int votes = 1, params string[] files)
    {
        var request = New(votes, files);
        request.Submit(T);
        request.MarkChecked(T);
        request.StartReview(T);
        return request;
    }

    private static Dictionary<string, FileReview> Review(ReleaseRequest request, FileDecision decision) =>
        request.Files.ToDictionary(f => f, _ => new FileReview(decision, $"{decision} because checked"));

    private static void Vote(ReleaseRequest request, long checker, FileDecision decision) =>
        request.Vote(checker, [TeamZuid], Review(request, decision), T);

    public static TheoryData<string, ReleaseState> IllegalMoves => new()
    {
        { "MarkChecked", ReleaseState.Draft }, { "StartReview", ReleaseState.Draft }, { "Publish", ReleaseState.Draft },
        { "Submit", ReleaseState.Submitted }, { "StartReview", ReleaseState.Submitted }, { "Publish", ReleaseState.Submitted },
        { "Submit", ReleaseState.Checked }, { "Withdraw", ReleaseState.Checked }, { "Publish", ReleaseState.Checked },
        { "Submit", ReleaseState.InReview }, { "Withdraw", ReleaseState.InReview }, { "Publish", ReleaseState.InReview },
        { "Withdraw", ReleaseState.Approved }, { "Submit", ReleaseState.Approved },
        { "Publish", ReleaseState.Rejected }, { "Withdraw", ReleaseState.Rejected },
        { "Publish", ReleaseState.Returned }, { "MarkChecked", ReleaseState.Returned },
        { "Submit", ReleaseState.Withdrawn }, { "Publish", ReleaseState.Withdrawn },
        { "Withdraw", ReleaseState.Published }, { "Publish", ReleaseState.Published },
        { "Resubmit", ReleaseState.Draft }, { "Resubmit", ReleaseState.InReview }, { "Resubmit", ReleaseState.Approved }, { "Resubmit", ReleaseState.Rejected },
    };

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public void An_illegal_move_throws_naming_both_states_and_changes_nothing(string move, ReleaseState from)
    {
        var request = InState(from);

        var error = Assert.Throws<InvalidTransitionException>(() => Do(request, move));

        Assert.Equal(from, error.From);
        Assert.StartsWith($"A release request cannot go from {from} to ", error.Message);
        Assert.Equal(from, request.State);
    }

    [Fact]
    public void The_happy_path_goes_from_draft_to_published_and_keeps_its_history()
    {
        var request = InReview();

        Vote(request, Chris, FileDecision.Approve);
        request.Publish(T);

        Assert.Equal(ReleaseState.Published, request.State);
        Assert.Equal(
            [ReleaseState.Submitted, ReleaseState.Checked, ReleaseState.InReview, ReleaseState.Approved, ReleaseState.Published],
            request.History.Select(h => h.To));
        Assert.Equal(["income.csv", "plot.png"], request.ApprovedFiles);
    }

    [Theory]
    [InlineData(ReleaseState.Draft)]
    [InlineData(ReleaseState.Submitted)]
    [InlineData(ReleaseState.Returned)]
    public void A_request_can_be_withdrawn_from_draft_submitted_or_returned(ReleaseState from)
    {
        var request = InState(from);

        request.Withdraw(T);

        Assert.Equal(ReleaseState.Withdrawn, request.State);
    }

    [Fact]
    public void A_returned_request_is_resubmitted_as_a_new_version_reviewed_afresh_with_the_old_votes_kept()
    {
        var request = InReview();
        Vote(request, Chris, FileDecision.Return);
        Assert.Equal(ReleaseState.Returned, request.State);

        request.Resubmit(["income_v2.csv", "plot.png"], T);
        request.MarkChecked(T);
        request.StartReview(T);
        Vote(request, Chris, FileDecision.Approve);   // the same checker may review the new version

        Assert.Equal((ReleaseState.Approved, 2), (request.State, request.Version));
        Assert.Equal(2, request.AllVotes.Count);
        Assert.Equal(["income_v2.csv", "plot.png"], request.ApprovedFiles);
    }

    [Fact]
    public void A_checker_never_reviews_a_request_of_their_own_team()
    {
        var request = InReview();

        var error = Assert.Throws<ReviewNotAllowedException>(() => request.Vote(Chris, [TeamNoord], Review(request, FileDecision.Approve), T));

        Assert.Equal("A checker never reviews a request of their own team.", error.Message);
        Assert.Empty(request.AllVotes);
    }

    [Fact]
    public void With_two_checkers_the_request_waits_for_both_and_each_sees_only_their_own_vote_until_then()
    {
        var request = InReview(votes: 2);

        Vote(request, Chris, FileDecision.Approve);

        Assert.Equal(ReleaseState.InReview, request.State);
        Assert.Single(request.VotesVisibleTo(Chris));
        Assert.Empty(request.VotesVisibleTo(Dana));
        Assert.Throws<ReviewNotAllowedException>(() => Vote(request, Chris, FileDecision.Approve));

        Vote(request, Dana, FileDecision.Approve);

        Assert.Equal(ReleaseState.Approved, request.State);
        Assert.Equal(2, request.VotesVisibleTo(Dana).Count);
    }

    [Theory]
    // checker 1, checker 2 (per file: income.csv, plot.png) -> request state, approved files
    [InlineData("AA", "AA", ReleaseState.Approved, "income.csv,plot.png")]
    [InlineData("AA", "AJ", ReleaseState.Approved, "income.csv")]        // the stricter vote holds per file
    [InlineData("AR", "AA", ReleaseState.Returned, "")]                  // any returned file returns the request
    [InlineData("JJ", "JA", ReleaseState.Rejected, "")]                  // every file rejected: rejected
    [InlineData("RJ", "JA", ReleaseState.Rejected, "")]                  // reject beats return on the same file
    [InlineData("SA", "AA", ReleaseState.Approved, "income.csv,plot.png")] // with suppression beats approve, and is approved
    [InlineData("SA", "RA", ReleaseState.Returned, "")]                  // return beats approve with suppression
    public void Per_file_votes_of_two_checkers_combine_strictest_first(string first, string second, ReleaseState expected, string approved)
    {
        var request = InReview(votes: 2);
        static FileDecision D(char c) => c switch
        {
            'A' => FileDecision.Approve, 'S' => FileDecision.ApproveWithSuppression, 'R' => FileDecision.Return, _ => FileDecision.Reject,
        };
        Dictionary<string, FileReview> Votes(string code) => new()
        {
            ["income.csv"] = new FileReview(D(code[0]), "because"),
            ["plot.png"] = new FileReview(D(code[1]), "because"),
        };

        request.Vote(Chris, [], Votes(first), T);
        request.Vote(Dana, [], Votes(second), T);

        Assert.Equal(expected, request.State);
        Assert.Equal(approved, string.Join(",", request.ApprovedFiles));
        if (first[0] == 'S' && expected == ReleaseState.Approved) Assert.Equal(FileDecision.ApproveWithSuppression, request.Outcome["income.csv"]);
    }

    [Fact]
    public void A_review_must_decide_every_file_with_a_comment_and_only_files_of_the_request()
    {
        var request = InReview();

        var missing = Assert.Throws<ReviewNotAllowedException>(() => request.Vote(Chris, [], new Dictionary<string, FileReview> { ["income.csv"] = new(FileDecision.Approve, "ok") }, T));
        var silent = Assert.Throws<ReviewNotAllowedException>(() => request.Vote(Chris, [], request.Files.ToDictionary(f => f, _ => new FileReview(FileDecision.Approve, " ")), T));
        var stranger = Assert.Throws<ReviewNotAllowedException>(() => request.Vote(Chris, [],
            request.Files.Append("secret.csv").ToDictionary(f => f, _ => new FileReview(FileDecision.Approve, "ok")), T));

        Assert.Equal("Every file needs a decision; missing: plot.png.", missing.Message);
        Assert.Equal("Every decision needs a comment; missing for: income.csv, plot.png.", silent.Message);
        Assert.Equal("Not a file of this request: secret.csv.", stranger.Message);
        Assert.Equal(ReleaseState.InReview, request.State);
    }

    [Fact]
    public void A_request_needs_a_purpose_files_without_duplicates_and_one_or_two_checkers()
    {
        Assert.Equal("purpose", Assert.Throws<DomainValidationException>(() => new ReleaseRequest(1, 1, " ", ["a.csv"], 1)).Field);
        Assert.Equal("files", Assert.Throws<DomainValidationException>(() => new ReleaseRequest(1, 1, "p", [], 1)).Field);
        Assert.Equal("files", Assert.Throws<DomainValidationException>(() => new ReleaseRequest(1, 1, "p", ["a.csv", "a.csv"], 1)).Field);
        Assert.Equal("requiredVotes", Assert.Throws<DomainValidationException>(() => new ReleaseRequest(1, 1, "p", ["a.csv"], 3)).Field);
    }

    /// <summary>A request brought to <paramref name="state"/> by legal moves only.</summary>
    private static ReleaseRequest InState(ReleaseState state)
    {
        var request = New();
        if (state == ReleaseState.Draft) return request;
        if (state == ReleaseState.Withdrawn) { request.Withdraw(T); return request; }
        request.Submit(T);
        if (state == ReleaseState.Submitted) return request;
        request.MarkChecked(T);
        if (state == ReleaseState.Checked) return request;
        request.StartReview(T);
        if (state == ReleaseState.InReview) return request;
        Vote(request, Chris, state switch
        {
            ReleaseState.Rejected => FileDecision.Reject,
            ReleaseState.Returned => FileDecision.Return,
            _ => FileDecision.Approve,
        });
        if (state == ReleaseState.Published) request.Publish(T);
        return request;
    }

    private static void Do(ReleaseRequest request, string move)
    {
        switch (move)
        {
            case "Submit": request.Submit(T); break;
            case "MarkChecked": request.MarkChecked(T); break;
            case "StartReview": request.StartReview(T); break;
            case "Withdraw": request.Withdraw(T); break;
            case "Publish": request.Publish(T); break;
            case "Resubmit": request.Resubmit(["income_v2.csv"], T); break;
            default: throw new ArgumentOutOfRangeException(nameof(move));
        }
    }

    [Fact]
    public void A_restored_request_continues_where_it_was_stored_and_derives_the_outcome_from_its_votes()
    {
        var original = InReview(votes: 2);
        Vote(original, Chris, FileDecision.Approve);
        original.Vote(Dana, [TeamZuid], new Dictionary<string, FileReview>
        {
            ["income.csv"] = new(FileDecision.Approve, "fine"), ["plot.png"] = new(FileDecision.Reject, "shows a cell of 3"),
        }, T);

        var restored = ReleaseRequest.Restore(original.Id, original.TeamId, original.Purpose, original.RequiredVotes, original.State, original.Version,
            original.Files, original.AllVotes, original.History);

        Assert.Equal(ReleaseState.Approved, restored.State);
        Assert.Equal(["income.csv"], restored.ApprovedFiles);
        Assert.Equal(original.History, restored.History);
        restored.Publish(T);
        Assert.Equal(ReleaseState.Published, restored.State);
    }

    [Fact]
    public void A_stored_decided_request_without_its_votes_is_refused_rather_than_guessed()
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            ReleaseRequest.Restore(1, TeamNoord, "p", 2, ReleaseState.Approved, 1, ["income.csv"], [new ReviewVote(Chris, 1, new Dictionary<string, FileReview> { ["income.csv"] = new(FileDecision.Approve, "ok") }, T)], []));
        Assert.Contains("incomplete", error.Message);
    }
}
