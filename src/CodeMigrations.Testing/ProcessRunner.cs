using System.Diagnostics;
using System.Text;

namespace CodeMigrations.Testing;

/// <summary>The outcome of one finished tool run.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for error messages.</summary>
    public string Output
    {
        get
        {
            var output = StandardOutput.Trim();
            var error = StandardError.Trim();
            return output.Length == 0 ? error : error.Length == 0 ? output : output + Environment.NewLine + error;
        }
    }
}

/// <summary>
/// Runs the PostgreSQL tools without a shell. As root they run as the <c>postgres</c> user through <c>runuser</c>,
/// because initdb and postgres refuse to run as root.
/// </summary>
internal static class ProcessRunner
{
    private const string PostgresUser = "postgres";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Whether we run as root on a Unix system, so the server tools must be run as the postgres user.</summary>
    public static bool RunAsPostgresUser => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>Runs <paramref name="fileName"/>, as the postgres user when we are root.</summary>
    public static Task<ProcessResult> RunToolAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken,
        TimeSpan? timeout = null) =>
        RunAsync(fileName, arguments, RunAsPostgresUser, cancellationToken, timeout);

    /// <summary>Runs a process and captures its output; a timeout or a cancellation kills it.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, bool asPostgresUser,
        CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var startInfo = CreateStartInfo(fileName, arguments, asPostgresUser);
        var commandLine = Describe(startInfo);
        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"Could not run `{commandLine}`: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"`{commandLine}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s and was killed."
                + Environment.NewLine + Snapshot(output) + Snapshot(error));
        }

        return new ProcessResult(commandLine, process.ExitCode, Snapshot(output), Snapshot(error));
    }

    /// <summary>The synchronous form, for process-exit handlers where nothing may be awaited.</summary>
    public static ProcessResult? RunTool(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = CreateStartInfo(fileName, arguments, RunAsPostgresUser);
        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                Kill(process);
                return null;
            }

            process.WaitForExit();
            return new ProcessResult(Describe(startInfo), process.ExitCode, Snapshot(output), Snapshot(error));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Runs a plain (non-PostgreSQL) command such as chown and throws when it fails.</summary>
    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, asPostgresUser: false, cancellationToken, TimeSpan.FromSeconds(30));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"`{result.CommandLine}` failed with exit code {result.ExitCode}: {result.Output}");
        }
    }

    private static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments, bool asPostgresUser)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
            // The postgres user may not be allowed into our current directory (a checkout under /root, say).
            WorkingDirectory = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/",
        };
        if (asPostgresUser)
        {
            startInfo.FileName = "runuser";
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(PostgresUser);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Stable, English tool messages; and no PG* variables of the caller steering the tools elsewhere.
        startInfo.Environment["LC_ALL"] = "C";
        foreach (var name in new[] { "PGDATA", "PGPORT", "PGHOST", "PGHOSTADDR", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGPASSWORD" })
        {
            startInfo.Environment.Remove(name);
        }

        return startInfo;
    }

    private static string Describe(ProcessStartInfo startInfo) =>
        string.Join(' ', new[] { startInfo.FileName }.Concat(startInfo.ArgumentList).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not ours to kill any more.
        }
    }
}
