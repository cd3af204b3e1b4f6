using System.Diagnostics;
using System.Text;

namespace Datakamp.Data.Embedded;

/// <summary>The outcome of one finished external command.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last non-empty line of stderr (or stdout): what a person needs to see of a failure.</summary>
    public string LastErrorLine =>
        (StandardError + "\n" + StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault() ?? $"exit code {ExitCode}";
}

/// <summary>
/// Runs an external command with an argument list (never through a shell), optionally as another
/// unprivileged user, and waits for it with a timeout after which it is killed.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string? runAsUser, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAsUser is null)
        {
            start.FileName = fileName;
        }
        else
        {
            // runuser (util-linux) drops root to the given user without a password prompt or PAM session.
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAsUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // A neutral working directory the unprivileged user can always enter.
        start.WorkingDirectory = "/";

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (cancellationToken.IsCancellationRequested) throw;
            return new ProcessResult(-1, stdout.ToString(), $"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s");
        }
        // WaitForExitAsync returns once the streams are drained too.
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
