using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using CodeMigrations.Testing.LocalCluster;
using Npgsql;

namespace CodeMigrations.Testing;

/// <summary>
/// A PgBouncer in front of a <see cref="PostgresServer"/>, for tests of what a connection pooler changes: started from the
/// local <c>pgbouncer</c> binary (Debian package <c>pgbouncer</c>) on 127.0.0.1 and a free port, in transaction pooling
/// mode with a small pool, so that clients really share server connections; stopped and its folder removed on dispose.
/// Every database of the server is reachable through it under its own name, as the server's user, and as each of the
/// other roles it was started to admit.
/// </summary>
public sealed class PgBouncerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output;
    private readonly ProcessExitHook _exitHook;
    private int _disposed;

    private PgBouncerProcess(Process process, string folder, StringBuilder output, int port, string poolMode)
    {
        _process = process;
        _folder = folder;
        _output = output;
        Port = port;
        PoolMode = poolMode;
        _exitHook = ProcessExitHook.Register(Kill, stopOnInterrupt: true);
    }

    /// <summary>The TCP port PgBouncer listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The pool mode it runs in: <c>transaction</c> unless the start asked for another.</summary>
    public string PoolMode { get; }

    /// <summary>What PgBouncer wrote to its log so far, for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>
    /// Starts PgBouncer in front of <paramref name="server"/> and waits until it accepts connections.
    /// </summary>
    /// <param name="server">The server PgBouncer connects to (as its user, with its password if it has one).</param>
    /// <param name="poolSize">Server connections per database and user (<c>default_pool_size</c>): small, so clients share them.</param>
    /// <param name="poolMode"><c>transaction</c> (the default), <c>session</c> or <c>statement</c>.</param>
    /// <param name="roles">
    /// Other login roles of the server (without a password) to admit besides the server's user, e.g. one a test denied a
    /// function; each then reaches the server as itself, with pools of its own. <see langword="null"/> admits only the server's user.
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running PgBouncer, to dispose when done.</returns>
    /// <exception cref="PostgresUnavailableException">PgBouncer is not installed, or it did not start; the message says why and how to install it.</exception>
    public static async Task<PgBouncerProcess> StartAsync(PostgresServer server, int poolSize = 3, string poolMode = "transaction",
        IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(poolMode);
        var binary = FindBinary() ?? throw new PostgresUnavailableException(
            "PgBouncer is not installed: no 'pgbouncer' on the PATH, in /usr/sbin or in /usr/local/sbin. The pooler tests need a real one: " +
            "install it with `sudo apt-get install -y pgbouncer` (Debian, Ubuntu), `brew install pgbouncer` (macOS) or your system's package manager.");
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString);

        for (var attempt = 1; ; attempt++)
        {
            // Not under the throwaway clusters' prefix, which their sweep of abandoned folders would take for one of its own.
            var folder = Path.Combine(Path.GetTempPath(), "codemigrations-pgbouncer-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5)));
            FileSystemAccess.CreateTraversableDirectory(folder);
            var port = FreePort.Choose();
            WriteConfiguration(folder, port, target, poolSize, poolMode, roles ?? []);
            var (process, output) = Launch(binary, Path.Combine(folder, "pgbouncer.ini"));
            var started = await WaitUntilListeningAsync(process, port, cancellationToken);
            if (started)
                return new PgBouncerProcess(process, folder, output, port, poolMode);

            Stop(process);
            string log;
            lock (output)
                log = output.ToString();
            TryDelete(folder);
            if (attempt < 3 && log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                continue;
            throw new PostgresUnavailableException(
                $"PgBouncer ({binary}) did not start listening on 127.0.0.1:{port} within {StartTimeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{log}");
        }
    }

    /// <summary>
    /// <paramref name="connectionString"/> (a database of the server this PgBouncer fronts) turned to go through PgBouncer:
    /// the same database, user and other settings, another host and port. Nothing else is added: a plain connection string.
    /// </summary>
    /// <param name="connectionString">A connection string to the server.</param>
    /// <returns>The connection string through PgBouncer.</returns>
    public string Through(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary>Stops PgBouncer (its server connections close with it) and removes its folder.</summary>
    /// <returns>A task that completes once it has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _exitHook.Dispose();
        Stop(_process);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
        TryDelete(_folder);
    }

    private void Kill() => Stop(_process);

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    private static string? FindBinary()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin"]);
        return folders.Select(f => Path.Combine(f, "pgbouncer")).FirstOrDefault(File.Exists);
    }

    private static void WriteConfiguration(string folder, int port, NpgsqlConnectionStringBuilder target, int poolSize, string poolMode,
        IReadOnlyCollection<string> roles)
    {
        var user = target.Username ?? "postgres";
        foreach (var role in roles)
        {
            if (role.Length == 0 || !role.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new ArgumentException($"PgBouncer admits roles named with letters, digits and underscores only: '{role}'.", nameof(roles));
        }

        // Only the server's user: every client reaches the server as it, with its password. With other roles: each as itself,
        // the server user's password (if any) taken from the auth file.
        var login = roles.Count == 0
            ? $" user={user}" + (target.Password is { Length: > 0 } p ? $" password={p}" : "")
            : "";
        var users = new StringBuilder().Append('"').Append(user).Append("\" \"").Append(roles.Count == 0 ? "" : target.Password).Append("\"\n");
        foreach (var role in roles)
            users.Append('"').Append(role).Append("\" \"\"\n");
        // The files are readable by the postgres user, as which PgBouncer runs when we are root (it refuses root too).
        File.WriteAllText(Path.Combine(folder, "userlist.txt"), users.ToString());
        File.WriteAllText(Path.Combine(folder, "pgbouncer.ini"), string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            * = host={target.Host} port={target.Port}{login}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {Path.Combine(folder, "userlist.txt")}
            pool_mode = {poolMode}
            default_pool_size = {poolSize}
            min_pool_size = 0
            reserve_pool_size = 0
            max_client_conn = 500
            max_db_connections = {poolSize}
            ignore_startup_parameters = extra_float_digits
            server_lifetime = 3600
            log_connections = 0
            log_disconnections = 0

            """));
    }

    private static (Process Process, StringBuilder Output) Launch(string binary, string configuration)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (ProcessRunner.RunAsPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", binary })
                start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = binary;
        }

        start.ArgumentList.Add(configuration);
        start.Environment["LC_ALL"] = "C";
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        void Append(string? line)
        {
            if (line is null)
                return;
            lock (output)
                output.AppendLine(line);
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PostgresUnavailableException($"Could not run {start.FileName} {string.Join(' ', start.ArgumentList)}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static async Task<bool> WaitUntilListeningAsync(Process process, int port, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
                return false;
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return false;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
