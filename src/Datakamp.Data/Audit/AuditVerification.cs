namespace Datakamp.Data.Audit;

/// <summary>
/// The outcome of recomputing the chain: how many events were checked, the head (last seq and hash,
/// worth writing down: deleting events at the very end is only visible against a head seen earlier),
/// and every break found, each naming the event.
/// </summary>
public sealed record AuditVerification(long EventsChecked, long HeadSeq, string HeadHash, IReadOnlyList<string> Problems)
{
    public bool IsIntact => Problems.Count == 0;
}
