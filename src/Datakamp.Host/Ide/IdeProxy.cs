using Datakamp.Host.Accounts;
using Datakamp.Host.Startup;
using System.Net;
using System.Text.Encodings.Web;
using Datakamp.Domain;
using Microsoft.AspNetCore.Authentication;
using Yarp.ReverseProxy.Forwarder;

namespace Datakamp.Host.Ide;

/// <summary>
/// The authenticated reverse proxy from a team member's browser to the team's Jupyter, over the
/// team's unix socket: the checks below run first, then YARP's forwarder carries the request, and
/// WebSocket upgrades (kernel channels), to the socket opened by <see cref="SafeUnixSocket"/>.
/// No container port is ever published.
/// <list type="bullet">
/// <item>Only members of the team get through (<see cref="IdeAccess"/>); everyone else gets 404,
///   which does not even confirm that the team exists.</item>
/// <item>A member who has not accepted the event's confidentiality declaration is refused (<see cref="DeclarationGate"/>).</item>
/// <item>State-changing requests and WebSocket handshakes must carry this host's own Origin:
///   Jupyter checks Host but not Origin, so another site could otherwise drive a member's kernel.</item>
/// <item>The host's cookies are not forwarded; the team's Jupyter token is added by the proxy.</item>
/// <item>The IDE's answer cannot set the host's cookies or security headers (<see cref="IdeTransformer"/>).</item>
/// </list>
/// </summary>
public static class IdeProxy
{
    /// <summary>Jupyter sees itself addressed as <c>localhost</c>; the connection itself goes to the team's socket (<see cref="IdeConnections"/>).</summary>
    private const string Destination = "http://localhost";

    /// <summary>
    /// HTTP/1.1 to Jupyter (plain HTTP over a unix socket; WebSockets upgrade on it). A kernel that computes
    /// for a long time without output keeps its channel silent, so the idle limit is long: the sandbox's
    /// own idle stop decides when a session is over, not the proxy.
    /// </summary>
    private static readonly ForwarderRequestConfig Config = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromHours(2),
    };

    public static void MapIdeProxy(this IEndpointRouteBuilder app) =>
        app.Map("/ide/{eventSlug}/{team}/{**rest}", HandleAsync);

    private static async Task HandleAsync(HttpContext context, string eventSlug, string team, IIdeSessionDirectory sessions, IdeConnections connections, IHttpForwarder forwarder, IdeActivity activity, [Microsoft.AspNetCore.Mvc.FromServices] IdeProblems problems, IDeclarationGate declaration, IIdeSessionLog sessionLog, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(IdeProxy));
        if (!IdeAccess.MayOpen(context.User, eventSlug, team))
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                await context.ChallengeAsync();
                return;
            }
            await ErrorPages.WritePageAsync(context, StatusCodes.Status404NotFound, "Not found", "There is no session here for you.");
            return;
        }
        // Every request, not only the first: the IDE is where the microdata is, and a new version must hold it back at once.
        if (await declaration.DueAsync(context.User, context.RequestAborted) is not null)
        {
            await DeclarationGate.WriteRefusalAsync(context);
            return;
        }
        if (!OriginIsAcceptable(context))
        {
            logger.LogWarning("Refused a cross-origin {Method} to the IDE of team {Team} from origin {Origin}", LogText.Excerpt(context.Request.Method, 16), LogText.Excerpt(team, 40), LogText.Excerpt(context.Request.Headers.Origin.ToString()));
            await ErrorPages.WritePageAsync(context, StatusCodes.Status403Forbidden, "Refused", "This request did not come from a Datakamp page.");
            return;
        }
        var session = sessions.Find(eventSlug, team);
        if (session is null)
        {
            await ErrorPages.WritePageAsync(context, StatusCodes.Status503ServiceUnavailable, "Sandbox not running",
                "Your team's sandbox is not running. Ask the event staff to start it, or start it from the team page.");
            return;
        }

        activity.Touch(eventSlug, team);
        await sessionLog.SeenAsync(context.User, session, context.RequestAborted);
        var error = await forwarder.SendAsync(context, Destination, connections.For(session), Config, new IdeTransformer(session), context.RequestAborted);
        if (error == ForwarderError.None)
        {
            problems.Clear(eventSlug, team);
            return;
        }

        // Nothing answered (YARP set 502 or 504 and wrote nothing), or a connection under way broke.
        var failure = context.GetForwarderErrorFeature()?.Exception;
        if (FindUnsafeSocket(failure) is { } unsafeSocket)
        {
            // The team put something else where its IDE socket should be: refuse, and tell staff in the log.
            logger.LogWarning("IDE of team {Team}: {Reason}", LogText.Excerpt(team, 40), LogText.Excerpt(unsafeSocket.Message, 300));
            problems.Report(eventSlug, team, "The IDE's socket in the sandbox was replaced by something the host refuses to connect to; "
                + "restart the sandbox (its workspace is kept).");
            if (!context.Response.HasStarted) await ErrorPages.WritePageAsync(context, StatusCodes.Status502BadGateway, "IDE unavailable", "The IDE socket of your sandbox is not usable. Ask the event staff to restart your sandbox.");
            return;
        }
        // A browser that went away, or a stream (a kernel channel, a download) cut midway, is the normal end of a connection.
        if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted) return;
        logger.LogInformation("IDE of team {Team} did not answer ({Error}): {Reason}", LogText.Excerpt(team, 40), error, LogText.Excerpt(failure?.Message ?? "", 300));
        await ErrorPages.WritePageAsync(context, StatusCodes.Status502BadGateway, "IDE not answering", "Your IDE is not answering (yet). If the sandbox just started, wait a few seconds and reload.");
    }

    /// <summary>The safe-socket refusal, wherever HttpClient and YARP wrapped it.</summary>
    private static UnsafeSocketException? FindUnsafeSocket(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is UnsafeSocketException refused) return refused;
        }
        return null;
    }

    private static bool OriginIsAcceptable(HttpContext context)
    {
        var request = context.Request;
        var safeMethod = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return safeMethod && !context.WebSockets.IsWebSocketRequest;
        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
