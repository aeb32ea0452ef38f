using System.Diagnostics;
using System.Text;

namespace CodeMigrations.Testing.LocalCluster;

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
        using var run = new CapturedProcess(CreateStartInfo(fileName, arguments, asPostgresUser));
        try
        {
            run.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"Could not run `{run.CommandLine}`: {e.Message}", e);
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await run.Process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            run.Kill();
            cancellationToken.ThrowIfCancellationRequested();
            var partial = run.Result();
            throw new TimeoutException($"`{run.CommandLine}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s and was killed."
                + Environment.NewLine + partial.StandardOutput + partial.StandardError);
        }

        return run.Result();
    }

    /// <summary>The synchronous form, for process-exit handlers where nothing may be awaited.</summary>
    public static ProcessResult? RunTool(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var run = new CapturedProcess(CreateStartInfo(fileName, arguments, RunAsPostgresUser));
        try
        {
            run.Start();
            if (!run.Process.WaitForExit(timeout))
            {
                run.Kill();
                return null;
            }

            run.Process.WaitForExit();
            return run.Result();
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

    /// <summary>A process whose two output streams are collected line by line as it runs.</summary>
    private sealed class CapturedProcess : IDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _error = new();

        public CapturedProcess(ProcessStartInfo startInfo)
        {
            CommandLine = Describe(startInfo);
            Process = new Process { StartInfo = startInfo };
            Process.OutputDataReceived += (_, e) => Append(_output, e.Data);
            Process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        }

        public string CommandLine { get; }

        public Process Process { get; }

        public void Start()
        {
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        /// <summary>What was collected so far; the exit code once the process has exited, else -1.</summary>
        public ProcessResult Result() =>
            new(CommandLine, Process.HasExited ? Process.ExitCode : -1, Snapshot(_output), Snapshot(_error));

        public void Kill()
        {
            try
            {
                Process.Kill(entireProcessTree: true);
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

        public void Dispose() => Process.Dispose();

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
    }
}
