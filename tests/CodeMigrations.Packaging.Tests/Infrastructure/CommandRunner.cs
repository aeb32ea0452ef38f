using System.Diagnostics;
using System.Text;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// Runs a command without a shell and captures its output. (CodeMigrations.Testing has a process runner, but it is
/// internal to that package and made for the PostgreSQL tools; this one is for dotnet and the programs the tests build.)
/// </summary>
public static class CommandRunner
{
    /// <summary>
    /// Variables that <c>dotnet test</c> leaks into the test process and that would make a child <c>dotnet</c> build with
    /// the outer build's MSBuild instead of choosing its own.
    /// </summary>
    private static readonly string[] LeakedBuildVariables =
    [
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "MSBUILDNOINPROCNODE",
    ];

    /// <summary>How long output may still arrive after the process exits: a build server it started can hold the pipes open.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);

    /// <summary>The dotnet executable running the tests, else the one on the PATH.</summary>
    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path)
        ? path
        : "dotnet";

    /// <summary>
    /// Runs <paramref name="fileName"/> in <paramref name="workingDirectory"/>; <paramref name="environment"/> adds or (with a
    /// null value) removes variables. A process still running after <paramref name="timeout"/> is killed with its children
    /// and a <see cref="TimeoutException"/> carries what it had printed.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in LeakedBuildVariables)
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(Path.GetFileName(fileName)).Select(Quote));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start `{commandLine}`.");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var reading = Task.WhenAll(CopyAsync(process.StandardOutput, stdout), CopyAsync(process.StandardError, stderr));

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await WaitForExitOnlyAsync(process, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed.{Environment.NewLine}" +
                $"stdout:{Environment.NewLine}{Snapshot(stdout)}stderr:{Environment.NewLine}{Snapshot(stderr)}");
        }

        await Task.WhenAny(reading, Task.Delay(OutputGrace));
        return new ProcessResult(commandLine, process.ExitCode, Snapshot(stdout), Snapshot(stderr), clock.Elapsed);
    }

    /// <summary>
    /// Waits for the process itself, not for the end of its output (which <see cref="Process.WaitForExitAsync"/> also
    /// waits for when output is redirected, and which a compiler server started by a build keeps open for minutes).
    /// </summary>
    private static async Task WaitForExitOnlyAsync(Process process, CancellationToken cancellationToken)
    {
        while (!process.WaitForExit(0))
            await Task.Delay(50, cancellationToken);
    }

    private static async Task CopyAsync(StreamReader reader, StringBuilder buffer)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (buffer)
                buffer.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
            return buffer.ToString();
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
