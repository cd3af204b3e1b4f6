using System.Text;
using System.Text.Encodings.Web;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Host.Demo;
using Datakamp.Host.Startup;

namespace Datakamp.Host.Pages;

/// <summary>The landing page: which event runs here, its teams and its datasets. Server-rendered, no scripts.</summary>
public static class HomePage
{
    public static void MapHomePage(this IEndpointRouteBuilder app) => app.MapGet("/", RenderAsync);

    private static async Task<IResult> RenderAsync(EventRepository events, DatasetRepository datasets, CancellationToken cancellationToken)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder();
        page.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Datakamp</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head><body>")
            .Append("<h1>Datakamp</h1><p>A secure analysis environment for a data hackathon on confidential microdata.</p>");

        var demo = await events.FindEventAsync(DemoEventSeeder.EventSlug, cancellationToken);
        if (demo is null)
        {
            page.Append("<p>No event yet.</p>");
        }
        else
        {
            page.Append("<h2>").Append(html.Encode(demo.Name)).Append("</h2><p>")
                .Append(demo.StartsOn.ToString("yyyy-MM-dd")).Append(" to ").Append(demo.EndsOn.ToString("yyyy-MM-dd")).Append("</p>");
            page.Append("<h3>Teams</h3><ul>");
            foreach (var team in await events.ListTeamsAsync(demo.Id, cancellationToken))
                page.Append("<li>").Append(html.Encode(team.Name)).Append(" (").Append(html.Encode(team.Slug.Value)).Append(")</li>");
            page.Append("</ul><h3>Datasets</h3><table><tr><th>name</th><th>unit</th><th>policy</th><th>SHA-256</th></tr>");
            foreach (var dataset in await datasets.ListAsync(demo.Id, cancellationToken))
            {
                page.Append("<tr><td>").Append(html.Encode(dataset.Name)).Append("</td><td>").Append(html.Encode(dataset.UnitColumn))
                    .Append("</td><td>").Append(html.Encode(dataset.Policy)).Append("</td><td><code>").Append(dataset.Sha256[..16]).Append("…</code></td></tr>");
            }
            page.Append("</table><p><a href=\"/register/").Append(html.Encode(demo.Slug.Value))
                .Append("\">Data-use register</a>: who used which data, for what purpose, and what was published.</p>");
        }
        page.Append("</body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }
}
