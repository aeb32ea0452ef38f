using System.Globalization;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>How <c>pg_ctl stop</c> ends the server: <c>fast</c> rolls back and checkpoints, <c>immediate</c> just quits.</summary>
internal enum ShutdownMode
{
    /// <summary>Disconnects the clients and shuts down cleanly; for data that is kept.</summary>
    Fast,

    /// <summary>Quits without a checkpoint (the next start recovers); for data about to be deleted.</summary>
    Immediate,
}

/// <summary>
/// Runs the tools of one binaries folder on a data directory: <c>initdb</c>, and <c>pg_ctl start</c> / <c>stop</c> of
/// its server on 127.0.0.1, a free port, and no Unix socket.
/// </summary>
internal sealed class ClusterControl
{
    /// <summary>How long a server may take to start (pg_ctl's wait), or to become ready when another command started it.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const int StartAttempts = 3;

    /// <param name="binariesDirectory">The folder holding pg_ctl, initdb and postgres.</param>
    public ClusterControl(string binariesDirectory) => BinariesDirectory = binariesDirectory;

    /// <summary>The folder holding pg_ctl, initdb and postgres.</summary>
    public string BinariesDirectory { get; }

    private string PgCtl => PostgresBinaries.ToolPath(BinariesDirectory, "pg_ctl");

    /// <summary>Creates a cluster in <paramref name="dataDirectory"/>: superuser postgres, trust authentication, UTF8, locale C.</summary>
    /// <exception cref="InvalidOperationException">initdb failed; the message holds its output.</exception>
    public async Task InitDbAsync(string dataDirectory, bool noSync, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"];
        if (noSync)
        {
            arguments.Add("--no-sync");
        }

        var result = await ProcessRunner.RunToolAsync(PostgresBinaries.ToolPath(BinariesDirectory, "initdb"), arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"initdb failed (exit code {result.ExitCode}): `{result.CommandLine}`{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>
    /// Starts the server of <paramref name="dataDirectory"/> on a free port and waits until it accepts connections; when
    /// another process took the port first, tries again on another.
    /// </summary>
    /// <returns>The port it listens on.</returns>
    /// <exception cref="InvalidOperationException">The server did not start; the message holds pg_ctl's output and the log's end.</exception>
    public async Task<int> StartAsync(string dataDirectory, string logFile, bool fsync, CancellationToken cancellationToken)
    {
        var waitSeconds = StartTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Choose();
            var logStart = ServerLog.LengthOf(logFile);
            // No Unix socket: its folder would need care about permissions and path length, and TCP is all we use.
            var settings = string.Create(CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=500")
                + (fsync ? " -c fsync=on" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            var result = await ProcessRunner.RunToolAsync(PgCtl,
                ["start", "-D", dataDirectory, "-w", "-t", waitSeconds, "-l", logFile, "-o", settings],
                cancellationToken, StartTimeout + TimeSpan.FromSeconds(30));
            if (result.Succeeded)
            {
                return port;
            }

            var log = ServerLog.ReadFrom(logFile, logStart);
            await StopAsync(dataDirectory, ShutdownMode.Immediate, CancellationToken.None);
            var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
            if (portTaken && attempt < StartAttempts)
            {
                continue;
            }

            throw new InvalidOperationException($"PostgreSQL did not start (exit code {result.ExitCode}): `{result.CommandLine}`"
                + Environment.NewLine + result.Output + Environment.NewLine + $"--- end of {logFile} ---" + Environment.NewLine
                + ServerLog.Tail(log, 30));
        }
    }

    /// <summary>
    /// Stops the server of <paramref name="dataDirectory"/>; a <see cref="ShutdownMode.Fast"/> stop that fails is tried
    /// again as <see cref="ShutdownMode.Immediate"/>.
    /// </summary>
    /// <returns>Null when it stopped (or was not running), else what went wrong.</returns>
    public async Task<string?> StopAsync(string dataDirectory, ShutdownMode mode, CancellationToken cancellationToken)
    {
        if (!PostmasterPidFile.Exists(dataDirectory))
        {
            return null;
        }

        var result = await ProcessRunner.RunToolAsync(PgCtl, StopArguments(dataDirectory, mode, waitSeconds: 60),
            cancellationToken, TimeSpan.FromSeconds(90));
        if (result.Succeeded || PostmasterPidFile.RunningPort(dataDirectory) is null)
        {
            return null;
        }

        if (mode != ShutdownMode.Immediate)
        {
            var again = await ProcessRunner.RunToolAsync(PgCtl, StopArguments(dataDirectory, ShutdownMode.Immediate, waitSeconds: 60),
                cancellationToken, TimeSpan.FromSeconds(90));
            if (again.Succeeded || PostmasterPidFile.RunningPort(dataDirectory) is null)
            {
                return null;
            }
        }

        return result.Output;
    }

    /// <summary>
    /// Stops the server without awaiting anything, for a process that is ending; at most about 25 seconds, and no
    /// error when pg_ctl cannot be run: nothing more could be done about it.
    /// </summary>
    public void StopBeforeExit(string dataDirectory, ShutdownMode mode) =>
        ProcessRunner.RunTool(PgCtl, StopArguments(dataDirectory, mode, waitSeconds: 20), TimeSpan.FromSeconds(25));

    private static string[] StopArguments(string dataDirectory, ShutdownMode mode, int waitSeconds) =>
        ["stop", "-D", dataDirectory, "-m", mode == ShutdownMode.Fast ? "fast" : "immediate", "-w", "-t",
            waitSeconds.ToString(CultureInfo.InvariantCulture)];
}
