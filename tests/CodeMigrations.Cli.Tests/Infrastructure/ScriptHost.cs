using System.Diagnostics;
using System.Text;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>Runs a command with a pseudo-terminal as its standard output, through util-linux <c>script</c>.</summary>
public static class ScriptHost
{
    public static async Task<HostResult> RunAsync(string command, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("script", ["--quiet", "--return", "--command", command, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.Environment.Remove("NO_COLOR");
        start.Environment["TERM"] = "xterm";
        HostProcess.ApplyEnvironment(start, environment);

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"This test needs util-linux `script` (Debian: bsdutils) to give the host a terminal: {e.Message}");
            throw;
        }

        using (process)
        {
            var clock = Stopwatch.StartNew();
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(HostProcess.DefaultTimeout);
            await process.WaitForExitAsync(timeout.Token);
            return new HostResult(process.ExitCode, (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal), await stderr, clock.Elapsed, [command]);
        }
    }
}
