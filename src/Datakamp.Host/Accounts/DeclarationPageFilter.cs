using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Datakamp.Host.Accounts;

/// <summary>
/// On every team page (registered for the /Team folder in <see cref="AccountsSetup"/>): a member who has not accepted
/// the declaration in force is sent to read it (GET), and a form post (starting the sandbox, say) is refused with a
/// page that names the declaration: the post did nothing, and a redirect would hide that.
/// </summary>
public sealed class DeclarationPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var gate = http.RequestServices.GetRequiredService<IDeclarationGate>();
        if (await gate.DueAsync(http.User, http.RequestAborted) is null)
        {
            await next();
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            var back = (http.Request.Path + http.Request.QueryString).ToString();
            context.Result = new RedirectResult($"{DeclarationGate.Path}?returnUrl={Uri.EscapeDataString(back)}");
            return;
        }
        await DeclarationGate.WriteRefusalAsync(http);
        context.Result = new EmptyResult();
    }
}
