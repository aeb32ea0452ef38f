using System.Diagnostics;
using System.Reflection;
using System.Text;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>
/// Runs a console host (the test host or the example) as a real process: <c>dotnet &lt;dll&gt; args</c>, standard output
/// and error captured (so never a terminal), with an environment cleaned of the variables that would change its
/// behaviour.
/// </summary>
public static class HostProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static string TestHostPath { get; } = BuiltHost("TestHostPath");

    public static string ExamplePath { get; } = BuiltHost("ExampleHostPath");

    /// <summary>Runs the test host with the migration sets named, on <paramref name="database"/> (through the environment variable).</summary>
    public static Task<HostResult> RunAsync(TestDatabase? database, string sets, params string[] args) =>
        RunAsync(TestHostPath, Environment(database?.ConnectionString, sets), args);

    public static async Task<HostResult> RunAsync(string dll, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> args,
        TimeSpan? timeout = null, string? workingDirectory = null)
    {
        await using var host = Start(dll, environment, args, workingDirectory);
        return await host.WaitForExitAsync(timeout ?? DefaultTimeout);
    }

    public static RunningHost Start(TestDatabase? database, string sets, params string[] args) =>
        Start(TestHostPath, Environment(database?.ConnectionString, sets), args);

    public static RunningHost Start(string dll, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> args,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        if (SigIntIgnored())
        {
            // This test process inherited an ignored SIGINT (a background job of a non-interactive shell does), and so would
            // the host, which then could not see Ctrl+C at all. A terminal's foreground program does not have it ignored:
            // restore that before running the host.
            start.FileName = "perl";
            foreach (var argument in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", Dotnet })
                start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = Dotnet;
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "CODEMIGRATIONS_CONNECTION", "NO_COLOR", "TERM", "TESTHOST_SETS", "TESTHOST_NO_SERVICES" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_NOLOGO"] = "1";
        ApplyEnvironment(start, environment);
        return new RunningHost(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}."), args);
    }

    /// <summary>Sets the variables of <paramref name="environment"/> on <paramref name="start"/>; a null value removes the variable.</summary>
    public static void ApplyEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
    }

    public static Dictionary<string, string?> Environment(string? connectionString, string sets = "ok") => new()
    {
        ["CODEMIGRATIONS_CONNECTION"] = connectionString,
        ["TESTHOST_SETS"] = sets,
    };

    private static string Dotnet => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path)
        ? path
        : "dotnet";

    private static string BuiltHost(string key)
    {
        var path = typeof(HostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        path = Path.GetFullPath(path);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is not built: build the solution (the test project references it) before running the tests.");
    }

    private static bool SigIntIgnored()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }
}

/// <summary>A host process that runs while the test watches its output.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly IReadOnlyList<string> _args;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    public RunningHost(Process process, IReadOnlyList<string> args)
    {
        _process = process;
        _args = args;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
                return _stdout.ToString();
        }
    }

    /// <summary>Waits until standard output holds <paramref name="text"/>; fails the test if the process ends or time runs out first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || deadline.Elapsed > (timeout ?? HostProcess.DefaultTimeout))
            {
                await Task.Delay(100); // let the last lines arrive
                Assert.Fail($"The host never printed '{text}'. {Snapshot()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public Task InterruptAsync() => SignalAsync("INT");

    public Task TerminateAsync() => SignalAsync("TERM");

    public async Task<HostResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The host did not exit within {timeout.TotalSeconds:0} s. {Snapshot()}");
        }

        lock (_gate)
            return new HostResult(_process.ExitCode, _stdout.ToString(), _stderr.ToString(), _clock.Elapsed, _args);
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

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} {_process.Id} failed");
    }

    private string Snapshot()
    {
        lock (_gate)
            return $"Arguments: {string.Join(' ', _args)}{System.Environment.NewLine}stdout:{System.Environment.NewLine}{_stdout}stderr:{System.Environment.NewLine}{_stderr}";
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            buffer.Append(line).Append('\n');
    }
}

/// <summary>What a finished host process printed and returned.</summary>
public sealed record HostResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, IReadOnlyList<string> Args)
{
    public string Output => Stdout + Stderr;

    /// <summary>For assertion messages: the whole run.</summary>
    public override string ToString() =>
        $"`{string.Join(' ', Args)}` exited with {ExitCode} after {Elapsed.TotalSeconds:0.00} s{Environment.NewLine}" +
        $"stdout:{Environment.NewLine}{Stdout}stderr:{Environment.NewLine}{Stderr}";
}
