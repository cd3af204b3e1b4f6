using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace Datakamp.Host.Startup;

/// <summary>
/// Error answers without a body of their own (a form that expired, a page that does not exist, too many sign-in
/// attempts, a fault in the host) get a short HTML page in words for people, and problem+json for programs (an
/// <c>Accept</c> header without <c>text/html</c>). Never a stack trace: details go to the log.
/// </summary>
public static class ErrorPages
{
    public static IApplicationBuilder UseDatakampErrorPages(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError, ExceptionHandler = WriteAsync });
        app.UseStatusCodePages(context => WriteAsync(context.HttpContext));
        return app;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (!WantsHtml(context.Request))
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context });
            return;
        }
        var (title, words) = Words(status);
        await WritePageAsync(context, status, title, words);
    }

    /// <summary>Writes a small page in the host's style: a title and one sentence (both encoded).</summary>
    public static async Task WritePageAsync(HttpContext context, int status, string title, string words)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = HtmlEncoder.Default;
        await context.Response.WriteAsync($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{html.Encode(title)}} · Datakamp</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;color:#1b1b1b} h1{color:#0b3d5c}</style></head>
            <body><h1>{{html.Encode(title)}}</h1><p role="alert">{{html.Encode(words)}}</p><p><a href="/">Back to Datakamp</a></p></body></html>
            """);
    }

    private static (string Title, string Words) Words(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("The request could not be used",
            "The page that sent it may have expired (after signing in again, say). Go back, reload the page and try again."),
        StatusCodes.Status403Forbidden => ("Not for you", "Your account may not open this page."),
        StatusCodes.Status404NotFound => ("Not found", "There is no such page."),
        StatusCodes.Status405MethodNotAllowed => ("Not possible here", "This page cannot be used that way. Go back and use its buttons."),
        StatusCodes.Status413PayloadTooLarge => ("Too large", "What was sent is larger than the host accepts."),
        StatusCodes.Status429TooManyRequests => ("Too many attempts", "Too many attempts from your address in a short time. Wait a minute and try again."),
        >= 500 => ("Something went wrong on the host", "The error is logged for staff. Try again in a moment; if it happens again, tell the event staff."),
        _ => ("The request could not be answered", $"The host answered {status}."),
    };

    /// <summary>A browser navigating asks for text/html; API callers (fetch, curl, the IDE's own scripts) do not.</summary>
    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
