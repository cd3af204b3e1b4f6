using System.Text;
using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Accounts;
using Datakamp.Host.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// The audit trail for staff: filters by person, team, dataset, action and time; the matching events newest first; the
/// same as CSV. Reading the trail is not itself audited. Only enabled staff: the folder's policy checks the role in
/// the cookie, this page the account as stored now.
/// </summary>
public sealed class AuditModel(Database database, EventRepository events, DatasetRepository datasets, AccountRepository accounts) : PageModel
{
    /// <summary>How many events the page shows; a note says when more match.</summary>
    public const int PageLimit = 500;

    /// <summary>How many events one CSV holds at most: more is refused with a message rather than cut off unsaid.</summary>
    public const int CsvLimit = 50_000;

    public AuditFilter Filter { get; private set; } = new();

    public AuditNames Names { get; private set; } = null!;
    public AuditExcerpt Excerpt { get; private set; } = AuditExcerpt.None;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        await LoadAsync(PageLimit, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        await LoadAsync(CsvLimit, cancellationToken);
        if (Excerpt.HasMore)
            (Error, Excerpt) = ($"More than {CsvLimit} events match: narrow the filters (a shorter time, say) to download them.", AuditExcerpt.None);
        if (Error is not null) return Page();
        var name = $"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv";
        return File(Encoding.UTF8.GetBytes(AuditCsv.Write(Excerpt.Lines)), "text/csv; charset=utf-8", name);
    }

    /// <summary>The address of the CSV for the filters in force.</summary>
    public string CsvAddress() => QueryHelpers.AddQueryString("/staff/audit", [KeyValuePair.Create("handler", (string?)"Csv"), .. Filter.AsQuery()]);

    /// <summary>The filters from the address, and the newest <paramref name="limit"/> events they match, or the message why none.</summary>
    private async Task LoadAsync(int limit, CancellationToken cancellationToken)
    {
        Filter = AuditFilter.FromQuery(Request.Query);
        Names = await AuditNames.LoadAsync(events, datasets, cancellationToken);
        var outcome = Filter.ToQuery(Names, limit);
        if (outcome.Query is null)
            Error = outcome.Error;
        else
            Excerpt = await AuditExcerpt.ReadAsync(database, outcome.Query, Names, cancellationToken);
    }
}
