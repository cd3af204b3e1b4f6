using System.Threading.RateLimiting;
using Datakamp.Host.Ide;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Datakamp.Host.Accounts;

/// <summary>Cookie sign-in, roles, CSRF protection and sign-in throttling.</summary>
public static class AccountsSetup
{
    public const string StaffPolicy = "staff";
    public const string MemberPolicy = "member";
    public const string CheckerPolicy = "checker";
    public const int SignInAttemptsPerMinute = 10;

    public static IServiceCollection AddDatakampAccounts(this IServiceCollection services)
    {
        services.AddSingleton<SignInService>();
        services.AddSingleton<SetPasswordLinks>();
        services.AddSingleton<Staff.StaffConsole>();
        services.AddSingleton<Staff.DataAccessConsole>();
        services.AddSingleton<IDeclarationGate, DeclarationGate>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = ".Datakamp.Auth";
            options.Cookie.HttpOnly = true;
            // Strict: no other site can make a browser send it, so no cross-site request acts as a signed-in person.
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.AccessDeniedPath = "/denied";
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, policy => policy.RequireRole(AccountClaims.StaffRole))
            .AddPolicy(MemberPolicy, policy => policy.RequireClaim(IdeAccess.TeamClaim))
            .AddPolicy(CheckerPolicy, policy => policy.RequireRole(AccountClaims.CheckerRole));
        services.AddAntiforgery(options => options.Cookie.Name = ".Datakamp.Antiforgery");
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Password guesses (sign-in and set-password posts) per client address; reading the forms is not limited.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && (context.Request.Path.StartsWithSegments("/signin") || context.Request.Path.StartsWithSegments("/set-password"))
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
        });
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Staff", StaffPolicy);
            options.Conventions.AuthorizeFolder("/Team", MemberPolicy);
            // A member uses nothing of their team before accepting the event's confidentiality declaration.
            options.Conventions.AddFolderApplicationModelConvention("/Team", model => model.Filters.Add(new DeclarationPageFilter()));
            options.Conventions.AuthorizeFolder("/Checker", CheckerPolicy);
            // Any signed-in account; the pages then admit the event's own people only (PresentationAudience).
            options.Conventions.AuthorizeFolder("/Presentation");
            // Any signed-in account: a person's own pages (their activity); the pages then check the account is enabled.
            options.Conventions.AuthorizeFolder("/Me");
        });
        return services;
    }
}
