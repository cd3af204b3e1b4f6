using Datakamp.Domain.Accounts;
using Datakamp.Host.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages;

public sealed class SetPasswordModel(SetPasswordLinks links) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Repeat { get; set; }
    public Account? Account { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Account = await links.FindAsync(Token, cancellationToken);
        if (Account is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Account = await links.FindAsync(Token, cancellationToken);
        if (Account is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Problem = Password != Repeat ? "The two passwords differ." : PasswordRules.Problem(Account.Username, Password);
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await links.RedeemAsync(Token, Password!, cancellationToken) is null)
        {
            Account = null;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        return LocalRedirect("/signin");
    }
}
