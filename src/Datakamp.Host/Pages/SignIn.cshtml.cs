using Datakamp.Host.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages;

public sealed class SignInModel(SignInService signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string Username { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    public bool Failed { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var account = await signIn.VerifyAsync(Username ?? "", Password ?? "", HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (account is null)
        {
            Failed = true;
            Password = "";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccountClaims.For(account));
        // Only paths on this host: never an open redirect.
        var target = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : account.Team is not null ? "/team" : account.IsStaff ? "/staff/sandboxes" : account.IsChecker ? "/checker" : "/";
        return LocalRedirect(target);
    }
}
