using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests;

/// <summary>
/// The real <c>datakamp</c> executable in its own process, as staff would run it: for tests of
/// start-up, shutdown, SIGKILL and the one-line errors a person sees.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private HostProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public int Pid => _process.Id;
    public IEnumerable<string> StandardOutput => _stdout;
    public IEnumerable<string> StandardError => _stderr;

    public static string ExecutablePath => Path.Combine(TestEnvironment.RepositoryRoot, "src", "Datakamp.Host", "bin",
        TestEnvironment.BuildConfiguration, "net10.0", "datakamp.dll");

    /// <summary>Starts <c>datakamp serve</c> on a free loopback port with the given settings.</summary>
    public static HostProcess StartServe(params string[] settings)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        return Start(["serve", $"--Urls={url}", .. settings], url);
    }

    public static HostProcess Start(string[] arguments, string baseUrl = "")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ExecutablePath);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host._stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host._stderr.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Polls /readyz until 200; fails with what the host printed if it exits or the time runs out.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) Assert.Fail($"host exited with {_process.ExitCode} before it was ready: {Printed()}");
            try
            {
                using var response = await http.GetAsync($"{BaseUrl}/readyz");
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        Assert.Fail($"host not ready within {timeout.TotalSeconds} s: {Printed()}");
        return clock.Elapsed;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"host did not exit within {timeout.TotalSeconds} s: {Printed()}");
        }
        return _process.ExitCode;
    }

    /// <summary>Graceful stop, as Ctrl+C or a service manager would ask.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        return await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown code runs at all.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>The structured (JSON) log lines whose message template matches.</summary>
    public IEnumerable<JsonElement> LogEntries(string originalFormatPrefix) =>
        _stdout.Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(entry => entry.TryGetProperty("State", out var state) && state.TryGetProperty("{OriginalFormat}", out var format)
                            && format.GetString()!.StartsWith(originalFormatPrefix, StringComparison.Ordinal));

    private string Printed() => $"stderr: {string.Join(" | ", _stderr)} stdout tail: {string.Join(" | ", _stdout.TakeLast(5))}";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { await StopAsync(); } catch (Exception) { _process.Kill(); }
        }
        _process.Dispose();
    }
}
