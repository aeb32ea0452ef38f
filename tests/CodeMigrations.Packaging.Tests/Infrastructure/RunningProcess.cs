using System.Diagnostics;
using System.Globalization;
using System.Text;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// A program that runs while the test watches its output and signals it, started in a process group of its own, as a
/// terminal starts a foreground command: Ctrl+C can then be sent to the group (every process of the command), and
/// SIGINT is not ignored even when the test runs as a background job (which would be inherited).
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    private RunningProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    /// <summary>The program's process id, which is also its process group's.</summary>
    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
                return _stdout.ToString();
        }
    }

    /// <summary>Starts <paramref name="fileName"/> (through perl, which makes the group and then becomes the program).</summary>
    public static RunningProcess Start(string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("perl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-e", "$SIG{INT} = 'DEFAULT'; setpgrp(0, 0) or die \"setpgrp: $!\"; exec @ARGV or die \"exec: $!\"", fileName })
            start.ArgumentList.Add(argument);
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        return new RunningProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}."));
    }

    /// <summary>Waits until standard output holds <paramref name="text"/>; fails the test if the program ends or time runs out first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
            {
                await Task.Delay(100); // the last lines
                Assert.Fail($"The program never printed '{text}'.{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}stderr:{Environment.NewLine}{Stderr()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to the program alone, or to its whole group as a terminal's Ctrl+C does.</summary>
    public async Task SignalAsync(string signal, bool wholeGroup)
    {
        var target = (wholeGroup ? -Id : Id).ToString(CultureInfo.InvariantCulture);
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", target]))!;
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} -- {target} failed");
    }

    /// <summary>Waits for the program to exit; kills it and fails the test after <paramref name="timeout"/>.</summary>
    public async Task<ProcessResult> WaitForExitAsync(TimeSpan timeout, string commandLine)
    {
        var clock = Stopwatch.StartNew();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"`{commandLine}` did not exit within {timeout.TotalSeconds:0} s.{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}stderr:{Environment.NewLine}{Stderr()}");
        }

        return new ProcessResult(commandLine, _process.ExitCode, Stdout, Stderr(), clock.Elapsed);
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

    private string Stderr()
    {
        lock (_gate)
            return _stderr.ToString();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            buffer.Append(line).Append('\n');
    }
}
