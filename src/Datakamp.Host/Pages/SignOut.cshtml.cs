using Datakamp.Data;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.Host.Accounts;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages;

/// <summary>Sign-out is a POST (with the antiforgery token), so no link on another site can sign a person out.</summary>
public sealed class SignOutModel(AuditTrail audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(AuditEntries.ForUsername(User.AuditActor(), AuditActions.SignedOut, User.Identity.Name ?? "?", team: null,
                new { address = HttpContext.Connection.RemoteIpAddress?.ToString() }), cancellationToken);
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
