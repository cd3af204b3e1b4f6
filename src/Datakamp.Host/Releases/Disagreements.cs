using Datakamp.Domain.Releases;

namespace Datakamp.Host.Releases;

/// <summary>
/// Where the checkers of a request differed, in words for the checkers and the team: per file, the decisions that
/// differed and the stricter one that holds. Only once the review of the current version is complete (blind review:
/// nothing while it is in review), and without saying which checker decided what (teams never learn who checked).
/// </summary>
public static class Disagreements
{
    /// <summary>One sentence per file of the current version on which the votes differ; none while the review runs.</summary>
    public static IReadOnlyList<string> Of(ReleaseRequest request)
    {
        if (request.State is not (ReleaseState.Approved or ReleaseState.Rejected or ReleaseState.Returned or ReleaseState.Published)) return [];
        var votes = request.AllVotes.Where(v => v.Version == request.Version).ToList();
        var who = votes.Count == 2 ? "The two checkers" : "The checkers";
        var sentences = new List<string>();
        foreach (var file in request.Files)
        {
            // Lenient to strict, in the enum's order (the order the outcome is taken by), so the sentence reads the same
            // whichever checker voted first; words from ReleaseWords, so a new kind of decision needs no change here.
            var decisions = votes.Where(v => v.Files.ContainsKey(file)).Select(v => v.Files[file].Decision).Distinct().Order().ToList();
            if (decisions.Count < 2 || !request.Outcome.TryGetValue(file, out var holds)) continue;
            sentences.Add($"{who} differed on {file} ({string.Join(", ", decisions.Select(ReleaseWords.Decision))}); "
                + $"the stricter decision holds: {ReleaseWords.Decision(holds)}.");
        }
        return sentences;
    }
}
