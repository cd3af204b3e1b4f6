using System.Security.Claims;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Events;
using Datakamp.Host.Startup;

namespace Datakamp.Host.Accounts;

/// <summary>
/// No team member touches data before accepting their event's confidentiality declaration: this answers whether the
/// signed-in person still has to accept the version in force. Asked by every team page (<see cref="DeclarationPageFilter"/>)
/// and every IDE request, so a direct URL is refused as surely as a hidden button.
/// Staff and output checkers who are not in a team have nothing due; nor does anyone in an event without a declaration.
/// </summary>
public sealed class DeclarationGate(DeclarationRepository declarations) : IDeclarationGate
{
    public const string Path = "/declaration";
    public const string RefusalTitle = "Accept the confidentiality declaration first";
    public const string RefusalWords = "Before you use your team's sandbox or IDE, read and accept your event's confidentiality declaration at /declaration.";

    /// <summary>
    /// The version the person must accept first, or null when nothing is due. Not remembered between requests: a new
    /// version may be published by the admin verb in another process, and must block at once.
    /// </summary>
    public async Task<Declaration?> DueAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.AccountId() is { } id ? await declarations.DueForAsync(id, cancellationToken) : null;

    /// <summary>Answers a request that the declaration holds back with a page that names it (403).</summary>
    public static Task WriteRefusalAsync(HttpContext context) =>
        ErrorPages.WritePageAsync(context, StatusCodes.Status403Forbidden, RefusalTitle, RefusalWords);
}
