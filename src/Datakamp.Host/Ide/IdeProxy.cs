using Datakamp.Domain;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using System.Text.Encodings.Web;

namespace Datakamp.Host.Ide;

/// <summary>
/// The authenticated reverse proxy from a team member's browser to the team's Jupyter, over the
/// team's unix socket: HTTP requests are forwarded with HttpClient, WebSockets (kernel channels) are
/// bridged frame by frame. No container port is ever published.
/// <list type="bullet">
/// <item>Only members of the team get through (<see cref="IdeAccess"/>); everyone else gets 404,
///   which does not even confirm that the team exists.</item>
/// <item>State-changing requests and WebSocket handshakes must carry this host's own Origin:
///   Jupyter checks Host but not Origin, so another site could otherwise drive a member's kernel.</item>
/// <item>The host's cookies are not forwarded; the team's Jupyter token is added by the proxy.</item>
/// </list>
/// </summary>
public static class IdeProxy
{
    private static readonly TimeSpan CloseGracePeriod = TimeSpan.FromSeconds(5);

    public static void MapIdeProxy(this IEndpointRouteBuilder app) =>
        app.Map("/ide/{eventSlug}/{team}/{**rest}", HandleAsync);

    private static async Task HandleAsync(HttpContext context, string eventSlug, string team, IIdeSessionDirectory sessions, IdeConnections connections, IdeActivity activity, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(IdeProxy));
        if (!IdeAccess.MayOpen(context.User, eventSlug, team))
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync();
                return;
            }
            await WritePageAsync(context, StatusCodes.Status404NotFound, "Not found", "There is no session here for you.");
            return;
        }
        if (!OriginIsAcceptable(context))
        {
            logger.LogWarning("Refused a cross-origin {Method} to the IDE of team {Team} from origin {Origin}", LogText.Excerpt(context.Request.Method, 16), LogText.Excerpt(team, 40), LogText.Excerpt(context.Request.Headers.Origin.ToString()));
            await WritePageAsync(context, StatusCodes.Status403Forbidden, "Refused", "This request did not come from a Datakamp page.");
            return;
        }
        var session = sessions.Find(eventSlug, team);
        if (session is null)
        {
            await WritePageAsync(context, StatusCodes.Status503ServiceUnavailable, "Sandbox not running",
                "Your team's sandbox is not running. Ask the event staff to start it, or start it from the team page.");
            return;
        }

        activity.Touch(eventSlug, team);
        try
        {
            if (context.WebSockets.IsWebSocketRequest) await BridgeWebSocketAsync(context, session, connections);
            else await ForwardHttpAsync(context, session, connections);
        }
        catch (UnsafeSocketException e)
        {
            // The team put something else where its IDE socket should be: refuse, and tell staff in the log.
            logger.LogWarning("IDE of team {Team}: {Reason}", LogText.Excerpt(team, 40), LogText.Excerpt(e.Message, 300));
            if (!context.Response.HasStarted) await WritePageAsync(context, StatusCodes.Status502BadGateway, "IDE unavailable", "The IDE socket of your sandbox is not usable. Ask the event staff to restart your sandbox.");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or WebSocketException && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("IDE of team {Team} did not answer: {Reason}", LogText.Excerpt(team, 40), LogText.Excerpt(e.Message, 300));
            if (!context.Response.HasStarted) await WritePageAsync(context, StatusCodes.Status502BadGateway, "IDE not answering", "Your IDE is not answering (yet). If the sandbox just started, wait a few seconds and reload.");
        }
    }

    private static bool OriginIsAcceptable(HttpContext context)
    {
        var request = context.Request;
        var safeMethod = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return safeMethod && !context.WebSockets.IsWebSocketRequest;
        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ForwardHttpAsync(HttpContext context, IdeSession session, IdeConnections connections)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri($"http://localhost{request.Path}{request.QueryString}"));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            outgoing.Content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (!ProxiedHeaders.ForwardOnRequest(name)) continue;
            if (!outgoing.Headers.TryAddWithoutValidation(name, values.ToArray()))
                outgoing.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        outgoing.Headers.Host = "localhost";
        outgoing.Headers.TryAddWithoutValidation("Authorization", $"token {session.Token}");
        if (ProxiedHeaders.CookiesForIde(request.Headers.Cookie) is { } cookies) outgoing.Headers.TryAddWithoutValidation("Cookie", cookies);
        if (!string.IsNullOrEmpty(request.Headers.Referer)) outgoing.Headers.TryAddWithoutValidation("Referer", $"http://localhost{session.BasePath}");

        using var response = await connections.For(session).SendAsync(outgoing, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (ProxiedHeaders.ForwardOnResponse(name)) context.Response.Headers[name] = values.ToArray();
        }
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task BridgeWebSocketAsync(HttpContext context, IdeSession session, IdeConnections connections)
    {
        using var ide = new ClientWebSocket();
        ide.Options.SetRequestHeader("Authorization", $"token {session.Token}");
        if (ProxiedHeaders.CookiesForIde(context.Request.Headers.Cookie) is { } cookies) ide.Options.SetRequestHeader("Cookie", cookies);
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols) ide.Options.AddSubProtocol(protocol);
        var target = new Uri($"ws://localhost{context.Request.Path}{context.Request.QueryString}");
        await ide.ConnectAsync(target, connections.For(session), context.RequestAborted);

        using var browser = await context.WebSockets.AcceptWebSocketAsync(ide.SubProtocol);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var toIde = PumpAsync(browser, ide, done.Token);
        var toBrowser = PumpAsync(ide, browser, done.Token);
        // When one side closes, the other direction still has to carry the peer's close reply:
        // give it a few seconds before cutting both.
        var first = await Task.WhenAny(toIde, toBrowser);
        var second = first == toIde ? toBrowser : toIde;
        await Task.WhenAny(second, Task.Delay(CloseGracePeriod, CancellationToken.None));
        await done.CancelAsync();
        await Task.WhenAll(toIde.ContinueWith(_ => { }, TaskScheduler.Default), toBrowser.ContinueWith(_ => { }, TaskScheduler.Default));
    }

    /// <summary>Copies messages from one socket to the other until one side closes, then passes the close on.</summary>
    private static async Task PumpAsync(WebSocket from, WebSocket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await from.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, CancellationToken.None);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
        }
    }

    private static Task WritePageAsync(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = HtmlEncoder.Default;
        return context.Response.WriteAsync($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.Encode(title)}</title></head><body><h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p></body></html>");
    }
}
