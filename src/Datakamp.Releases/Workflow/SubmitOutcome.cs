namespace Datakamp.Releases;

/// <summary>
/// What a submission did: the request (new, or the one this submission key made before), or nothing at all with the
/// reasons. A submission is all or nothing: one refused file and no request is made, so a team never releases half a set.
/// </summary>
public sealed record SubmitOutcome(long? RequestId, bool Created, IReadOnlyList<RefusedOutput> Refused)
{
    public bool Succeeded => RequestId is not null;

    /// <summary>Each refused name's reason (the first, should a name be refused twice), to show beside the file.</summary>
    public IReadOnlyDictionary<string, string> RefusalsByName =>
        Refused.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
}
