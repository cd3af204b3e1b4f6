using System.Text;
using Datakamp.Domain.Releases;
using Datakamp.Releases;

namespace Datakamp.Host.Releases;

/// <summary>
/// One published file as the presentation draws it: a table from its CSV, a figure by its URL, text (escaped by the
/// page), or a link. The bytes behind <see cref="Table"/> and <see cref="Text"/> were verified against the file's SHA-256;
/// a file that did not verify carries <see cref="Problem"/> instead and nothing of its content.
/// </summary>
public sealed record PresentedOutputView(ReleaseRecord Request, PublishedOutput Output, string Url, CsvPreview? Table, string? Text, string? Problem)
{
    public const int MaxTextCharacters = 100_000;

    public bool IsFigure => Output.MediaType is "image/png" or "image/svg+xml";

    /// <summary>Views of a team's published files, in the order of its publications and then by name.</summary>
    public static async Task<IReadOnlyList<PresentedOutputView>> ForTeamAsync(EventPresentation presentation, string eventSlug, PresentedTeam team, string actor,
        CancellationToken cancellationToken)
    {
        var views = new List<PresentedOutputView>();
        foreach (var (request, output) in team.Outputs)
        {
            var url = $"/presentation/{eventSlug}/teams/{team.TeamSlug}/files/{request.Request.Id}/{output.Name}";
            if (output.MediaType is "image/png" or "image/svg+xml" or "application/pdf")
            {
                views.Add(new PresentedOutputView(request, output, url, null, null, null));
                continue;
            }
            byte[] bytes;
            try
            {
                bytes = await presentation.ReadVerifiedAsync(request, output, actor, cancellationToken);
            }
            catch (PublishedContentMismatchException e)
            {
                views.Add(new PresentedOutputView(request, output, url, null, null, e.Message));
                continue;
            }
            if (output.MediaType == "text/csv")
            {
                var (table, problem) = CsvPreview.Read(bytes, output.Name);
                views.Add(new PresentedOutputView(request, output, url, table, null, problem));
            }
            else
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes);
                views.Add(new PresentedOutputView(request, output, url, null, text.Length > MaxTextCharacters ? text[..MaxTextCharacters] + "\n…" : text, null));
            }
        }
        return views;
    }
}
