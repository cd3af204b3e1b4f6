using Datakamp.Domain.Releases;
using Datakamp.Host.Releases;

namespace Datakamp.Host.Tests.Releases;

/// <summary>The disagreement note, from requests rebuilt as stored: only after the review, only where the votes differ, never who.</summary>
public sealed class DisagreementsTests
{
    private static readonly DateTimeOffset At = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Differing_votes_on_a_file_are_told_with_both_decisions_and_the_stricter_one_that_holds()
    {
        var request = Restored(ReleaseState.Returned, version: 1,
            Vote(1, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)),
            Vote(2, 1, ("table.csv", FileDecision.Return), ("notes.txt", FileDecision.Approve)));

        var sentence = Assert.Single(Disagreements.Of(request));

        Assert.Equal("The two checkers differed on table.csv (approved, returned for changes); the stricter decision holds: returned for changes.", sentence);
    }

    [Fact]
    public void The_sentence_is_the_same_whichever_checker_voted_first()
    {
        var first = Restored(ReleaseState.Rejected, version: 1,
            Vote(1, 1, ("table.csv", FileDecision.Reject), ("notes.txt", FileDecision.Reject)),
            Vote(2, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Reject)));
        var second = Restored(ReleaseState.Rejected, version: 1,
            Vote(2, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Reject)),
            Vote(1, 1, ("table.csv", FileDecision.Reject), ("notes.txt", FileDecision.Reject)));

        Assert.Equal(Disagreements.Of(first), Disagreements.Of(second));
        Assert.Equal("The two checkers differed on table.csv (approved, rejected); the stricter decision holds: rejected.", Assert.Single(Disagreements.Of(first)));
    }

    [Fact]
    public void Agreeing_checkers_and_a_single_checker_give_no_note()
    {
        var agreed = Restored(ReleaseState.Approved, version: 1,
            Vote(1, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)),
            Vote(2, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)));
        var alone = ReleaseRequest.Restore(7, 3, "Purpose", 1, ReleaseState.Published, 1, ["table.csv", "notes.txt"],
            [Vote(1, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve))], []);

        Assert.Empty(Disagreements.Of(agreed));
        Assert.Empty(Disagreements.Of(alone));
    }

    [Fact]
    public void Nothing_is_told_while_the_review_runs()
    {
        // Blind review: one vote is in; whatever it says, the note waits until the review is complete.
        var inReview = Restored(ReleaseState.InReview, version: 1, Vote(1, 1, ("table.csv", FileDecision.Reject), ("notes.txt", FileDecision.Approve)));

        Assert.Empty(Disagreements.Of(inReview));
    }

    [Fact]
    public void Only_the_votes_of_the_current_version_count()
    {
        // Version 1 was returned after the checkers differed; version 2 was approved by both.
        var request = Restored(ReleaseState.Approved, version: 2,
            Vote(1, 1, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)),
            Vote(2, 1, ("table.csv", FileDecision.Return), ("notes.txt", FileDecision.Approve)),
            Vote(1, 2, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)),
            Vote(2, 2, ("table.csv", FileDecision.Approve), ("notes.txt", FileDecision.Approve)));

        Assert.Empty(Disagreements.Of(request));
    }

    private static ReleaseRequest Restored(ReleaseState state, int version, params ReviewVote[] votes) =>
        ReleaseRequest.Restore(7, 3, "Persons by district", 2, state, version, ["table.csv", "notes.txt"], votes, []);

    private static ReviewVote Vote(long checker, int version, params (string File, FileDecision Decision)[] files) =>
        new(checker, version, files.ToDictionary(f => f.File, f => new FileReview(f.Decision, "A reason.")), At.AddMinutes(checker));
}
