using System.Text;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Events;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Admin;

/// <summary>
/// <c>admin set-declaration --event E --file PATH</c> publishes the file's text as the next version of the event's
/// confidentiality declaration: every team member accepts it before their next sandbox start or IDE use.
/// <c>admin show-declaration --event E</c> prints the version in force, or says that the event has none (and so
/// holds nobody back).
/// </summary>
internal static class DeclarationCommands
{
    public const int MinimumLength = 20, MaximumLength = 20000;

    public static async Task<int> SetAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var eventSlug = Slug.Parse(DatasetCommands.Required(options, "event"), "--event");
        var text = ReadText(Path.GetFullPath(DatasetCommands.Required(options, "file")));

        await using var opened = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var database = Database.OpenedOn(opened.DataSource);
        var dk = await new EventRepository(database).FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        var declarations = new DeclarationRepository(database);
        // The same text again is no new version: asking everyone to accept what they accepted already teaches them to click blindly.
        if (await declarations.CurrentAsync(dk.Id, CancellationToken.None) is { } current && current.Sha256 == Declaration.HashOf(text))
        {
            Console.WriteLine($"event {eventSlug}: the declaration is unchanged; version {current.Version} stays in force");
            return ExitCodes.Ok;
        }
        var published = await declarations.PublishAsync(dk.Id, text, actor, DateTimeOffset.UtcNow, CancellationToken.None);
        Console.WriteLine($"event {eventSlug}: declaration version {published.Version} published (sha256 {published.Sha256}); "
            + "every team member accepts it before their next sandbox start or IDE use");
        return ExitCodes.Ok;
    }

    public static async Task<int> ShowAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration)
    {
        var eventSlug = Slug.Parse(DatasetCommands.Required(options, "event"), "--event");
        await using var opened = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var database = Database.OpenedOn(opened.DataSource);
        var dk = await new EventRepository(database).FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        if (await new DeclarationRepository(database).CurrentAsync(dk.Id, CancellationToken.None) is not { } current)
        {
            Console.WriteLine($"event {eventSlug} has no confidentiality declaration: team members are not asked to accept one, and nothing is held back. "
                + "Publish one with: datakamp admin set-declaration --event " + eventSlug + " --file PATH");
            return ExitCodes.Ok;
        }
        Console.WriteLine($"event {eventSlug}: declaration version {current.Version}, published {current.PublishedAt:yyyy-MM-dd HH:mm} UTC by {current.PublishedBy}, sha256 {current.Sha256}");
        Console.WriteLine();
        Console.WriteLine(current.Text);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The file as UTF-8 text, its line ends made "\n" and surrounding blank space removed, so that the same words saved
    /// by another editor hash the same and are not a new version.
    /// </summary>
    private static string ReadText(string file)
    {
        if (!File.Exists(file)) throw new UsageException($"--file {file} does not exist");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(file));
        }
        catch (DecoderFallbackException)
        {
            throw new UsageException($"--file {file} is not UTF-8 text");
        }
        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n").Trim();
        if (text.Length is < MinimumLength or > MaximumLength)
            throw new UsageException($"--file {file}: a declaration is {MinimumLength} to {MaximumLength} characters of text (this one has {text.Length})");
        return text;
    }
}
