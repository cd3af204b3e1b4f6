using Datakamp.Data;
using Datakamp.Data.Audit;

namespace Datakamp.Host.Audit;

/// <summary>
/// The newest events of a query, at most its limit, as lines to show, and whether more match: the pages say so rather
/// than cut the trail short unsaid.
/// </summary>
public sealed record AuditExcerpt(IReadOnlyList<AuditLine> Lines, bool HasMore)
{
    public static readonly AuditExcerpt None = new([], false);

    public static async Task<AuditExcerpt> ReadAsync(Database database, AuditQuery query, AuditNames names, CancellationToken cancellationToken)
    {
        // One event more than the limit tells whether there are more.
        var records = await new AuditLog(database.DataSource).QueryAsync(query with { Limit = query.Limit + 1 }, cancellationToken);
        return new AuditExcerpt(records.Take(query.Limit).Select(record => AuditLine.Of(record, names)).ToList(), records.Count > query.Limit);
    }
}
