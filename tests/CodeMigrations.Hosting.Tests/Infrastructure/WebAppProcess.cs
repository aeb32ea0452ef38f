using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace CodeMigrations.Hosting.Tests;

/// <summary>
/// The web example (examples/WebApp) as a real process on a free 127.0.0.1 port, configured only through the environment
/// variables its Program.cs documents; output captured.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private WebAppProcess(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Path { get; } = BuiltApp();

    public Uri Address { get; }

    /// <summary>Standard output and error, interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
                return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static WebAppProcess Start(string connectionString, string onStartup, IReadOnlyDictionary<string, string>? more = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CodeMigrations__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["CodeMigrations__OnStartup"] = onStartup;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (name, value) in more ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return new WebAppProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet."), port);
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(Address, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the app answers <paramref name="path"/> at all (any status); fails if it exits or time runs out.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WaitUntilServingAsync(string path = "/health", TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                Assert.Fail($"The web app exited with {_process.ExitCode} before serving.{Environment.NewLine}{Output}");
            if (clock.Elapsed > (timeout ?? DefaultTimeout))
                Assert.Fail($"The web app did not serve {path} within {clock.Elapsed.TotalSeconds:0} s.{Environment.NewLine}{Output}");
            if (await TryGetAsync(path) is { } answer)
                return answer;
            await Task.Delay(50);
        }
    }

    /// <summary>An answer, or null while nothing listens.</summary>
    public async Task<(HttpStatusCode Status, string Body)?> TryGetAsync(string path)
    {
        try
        {
            return await GetAsync(path);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The web app did not exit within {(timeout ?? DefaultTimeout).TotalSeconds:0} s.{Environment.NewLine}{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private static string BuiltApp()
    {
        var path = System.IO.Path.GetFullPath(typeof(WebAppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebAppPath").Value!);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is not built: build the test project (it references the web example) first.");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.Append(line).Append('\n');
    }
}
