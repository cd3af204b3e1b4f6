using Datakamp.TestSupport;
using Microsoft.Playwright;

namespace Datakamp.Host.Tests.Browser;

/// <summary>
/// Screenshots of the real pages for the documentation: <c>docs/screenshots/NAME.png</c> in the
/// repository (the folder above which Datakamp.sln lies). They are committed and linked from the README.
/// </summary>
internal static class Screenshots
{
    public static string Folder => Path.Combine(TestEnvironment.RepositoryRoot, "docs", "screenshots");

    /// <summary>
    /// Saves a full-page PNG of <paramref name="page"/> as docs/screenshots/<paramref name="name"/>.png.
    /// The file is only rewritten when its pixels changed, so an unchanged page leaves git clean. A
    /// read-only or missing docs folder never fails the test: the problem goes to the test's output.
    /// </summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new ArgumentException($"screenshot name '{name}' must be lower-case letters, digits and dashes", nameof(name));
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        var path = Path.Combine(Folder, name + ".png");
        var temporary = path + $".{Environment.ProcessId}.tmp";
        try
        {
            if (File.Exists(path) && (await File.ReadAllBytesAsync(path)).AsSpan().SequenceEqual(png)) return;
            Directory.CreateDirectory(Folder);
            await File.WriteAllBytesAsync(temporary, png);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TestContext.Current.SendDiagnosticMessage($"screenshot {name} not saved to {path}: {e.Message}");
            try { File.Delete(temporary); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
        }
    }
}
