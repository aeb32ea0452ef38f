using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CodeMigrations.Testing;

/// <summary>
/// A PostgreSQL cluster run from the local binaries (<c>initdb</c>, <c>pg_ctl</c>): either throwaway, in a fresh temporary
/// folder removed on dispose, or persistent, in a folder that keeps its data between runs. The server listens on
/// 127.0.0.1 only, on a free port, with trust authentication for the <c>postgres</c> user and no Unix socket.
/// When we run as root, the tools run as the <c>postgres</c> user (initdb and postgres refuse root).
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    /// <summary>The environment variable that may name the folder of the PostgreSQL binaries.</summary>
    public const string BinariesEnvironmentVariable = "CODEMIGRATIONS_PG_BIN";

    private const string TemporaryPrefix = "codemigrations-pg-";
    private const string OwnerFileName = "owner";
    private const int StartAttempts = 3;
    private const int StartTimeoutSeconds = 60;

    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly string _binaries;
    private readonly string? _temporaryRoot;
    private readonly bool _ownsServer;
    private EventHandler? _processExitHandler;
    private List<PosixSignalRegistration> _signalRegistrations = [];
    private int _stopped;

    private LocalPostgresCluster(string binaries, string dataDirectory, int port, string? temporaryRoot, bool ownsServer)
    {
        _binaries = binaries;
        _temporaryRoot = temporaryRoot;
        _ownsServer = ownsServer;
        DataDirectory = dataDirectory;
        Port = port;
        Version = ReadVersion(dataDirectory) ?? "?";
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        if (ownsServer)
        {
            // A run that ends without disposing must not leave the server running: stop it when the process exits, and on
            // termination signals too, which since .NET 10 end the process without raising ProcessExit. The signal handlers
            // do not cancel the signal: the process still ends as it would have. (SIGKILL cannot be caught: the next
            // throwaway cluster sweeps what a killed process left.)
            _processExitHandler = (_, _) => StopOnProcessExit();
            AppDomain.CurrentDomain.ProcessExit += _processExitHandler;
            _signalRegistrations = RegisterTerminationSignals();
        }
    }

    /// <summary>The cluster's data directory (for a persistent cluster, possibly a fallback; see <see cref="StartPersistentAsync"/>).</summary>
    public string DataDirectory { get; }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// <c>Host=127.0.0.1;Port=…;Username=postgres;Database=postgres</c>: the maintenance database, as the superuser,
    /// without a password (trust authentication).
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The cluster's major version, e.g. <c>15</c>.</summary>
    public string Version { get; }

    /// <summary>The folder of the binaries the cluster was started with.</summary>
    public string BinariesDirectory => _binaries;

    /// <summary>
    /// Whether this instance started the server (and so stops it on dispose), rather than finding it already running.
    /// </summary>
    public bool OwnsServer => _ownsServer;

    /// <summary>The folder removed on dispose, for a throwaway cluster; null for a persistent one.</summary>
    internal string? TemporaryRoot => _temporaryRoot;

    /// <summary>
    /// Finds the folder of the PostgreSQL binaries (one holding <c>pg_ctl</c>, <c>initdb</c> and <c>postgres</c>):
    /// <paramref name="preferred"/> when given, else the <c>CODEMIGRATIONS_PG_BIN</c> environment variable, else the highest
    /// version under <c>/usr/lib/postgresql/*/bin</c>, else the folder of <c>pg_ctl</c> on the PATH, else other usual places
    /// (<c>/usr/pgsql-*/bin</c>, Homebrew). A folder named explicitly (argument or environment) is the only one considered.
    /// </summary>
    /// <param name="preferred">A folder to use instead of searching.</param>
    /// <returns>The full path of the folder, or null when there is none.</returns>
    public static string? FindBinaries(string? preferred = null)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            return HasTools(preferred) ? Path.GetFullPath(preferred) : null;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(BinariesEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return HasTools(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        }

        return VersionedFolders("/usr/lib/postgresql", "*", "bin").FirstOrDefault(HasTools)
            ?? FindOnPath()
            ?? VersionedFolders("/usr", "pgsql-*", "bin")
                .Concat(VersionedFolders("/opt/homebrew/opt", "postgresql*", "bin"))
                .Concat(VersionedFolders("/usr/local/opt", "postgresql*", "bin"))
                .Append("/usr/local/pgsql/bin")
                .FirstOrDefault(HasTools);
    }

    /// <summary>
    /// Starts a throwaway cluster: a fresh folder under /tmp, <c>initdb</c>, start on a free port.
    /// <see cref="DisposeAsync"/> stops the server and deletes the folder (so does process exit, if it was not disposed).
    /// </summary>
    /// <param name="options">Fsync and binaries; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="PostgresUnavailableException">No PostgreSQL binaries were found.</exception>
    /// <exception cref="InvalidOperationException">initdb or the server failed; the message holds their output.</exception>
    public static async Task<LocalPostgresCluster> StartTemporaryAsync(LocalClusterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new LocalClusterOptions();
        var binaries = RequireBinaries(options.BinariesDirectory, dataVersion: null);
        await RequireServerUserAsync(cancellationToken);
        await SweepAbandonedClustersAsync(binaries, cancellationToken);

        var root = Path.Combine(TemporaryParent, TemporaryPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)));
        FileSystemAccess.CreateTraversableDirectory(root);
        var dataDirectory = Path.Combine(root, "data");
        var started = false;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, OwnerFileName), OwnerStamp(), cancellationToken);
            await FileSystemAccess.GiveToServerUserAsync(root, privateMode: false, cancellationToken);
            await InitDbAsync(binaries, dataDirectory, noSync: true, cancellationToken);
            var port = await StartServerAsync(binaries, dataDirectory, Path.Combine(root, "server.log"), options.Fsync, cancellationToken);
            started = true;
            return new LocalPostgresCluster(binaries, dataDirectory, port, root, ownsServer: true);
        }
        catch
        {
            if (started)
            {
                await StopServerAsync(binaries, dataDirectory, "immediate", CancellationToken.None);
            }

            FileSystemAccess.DeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// Starts a cluster that keeps its data: <c>initdb</c> into <paramref name="dataDirectory"/> if it holds no cluster yet,
    /// then start it on a free port; <see cref="DisposeAsync"/> stops it and keeps the data.
    /// When we run as root and the postgres user cannot reach <paramref name="dataDirectory"/> (a parent such as /root is not
    /// traversable), the cluster lives in <c>/var/tmp/codemigrations/&lt;hash of the path&gt;</c> instead:
    /// <see cref="DataDirectory"/> tells which. When the cluster is already running (another command started it), it is
    /// reused as it is and not stopped on dispose.
    /// </summary>
    /// <param name="dataDirectory">The preferred data directory; created when missing.</param>
    /// <param name="options">Fsync and binaries; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="PostgresUnavailableException">No PostgreSQL binaries were found.</exception>
    /// <exception cref="InvalidOperationException">initdb or the server failed; the message holds their output.</exception>
    public static async Task<LocalPostgresCluster> StartPersistentAsync(string dataDirectory, LocalClusterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        options ??= new LocalClusterOptions();
        await RequireServerUserAsync(cancellationToken);
        var requested = Path.GetFullPath(dataDirectory);
        var directory = await FileSystemAccess.IsReachableByServerUserAsync(requested, cancellationToken)
            ? requested
            : FallbackDirectory(requested);
        var binaries = RequireBinaries(options.BinariesDirectory, ReadVersion(directory));

        // Two commands starting the same cluster at once: one runs initdb and starts it, the other then finds it running.
        using var startLock = await AcquireLockAsync(directory, cancellationToken);
        var runningPort = await WaitForRunningServerAsync(directory, cancellationToken);
        if (runningPort is { } port)
        {
            return new LocalPostgresCluster(binaries, directory, port, temporaryRoot: null, ownsServer: false);
        }

        if (!File.Exists(Path.Combine(directory, "PG_VERSION")))
        {
            await PrepareEmptyDataDirectoryAsync(directory, cancellationToken);
            await InitDbAsync(binaries, directory, noSync: !options.Fsync, cancellationToken);
        }

        var newPort = await StartServerAsync(binaries, directory, Path.Combine(directory, "server.log"), options.Fsync, cancellationToken);
        return new LocalPostgresCluster(binaries, directory, newPort, temporaryRoot: null, ownsServer: true);
    }

    /// <summary>
    /// Stops the server if this instance started it (<c>pg_ctl stop -m fast</c>) and, for a throwaway cluster, deletes its folder.
    /// </summary>
    /// <returns>A task that completes once the server is stopped.</returns>
    /// <exception cref="InvalidOperationException">The server would not stop.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (_processExitHandler is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _processExitHandler;
            _processExitHandler = null;
        }

        foreach (var registration in _signalRegistrations)
        {
            registration.Dispose();
        }

        _signalRegistrations = [];

        string? failure = null;
        if (_ownsServer)
        {
            failure = await StopServerAsync(_binaries, DataDirectory, _temporaryRoot is null ? "fast" : "immediate", CancellationToken.None);
        }

        if (_temporaryRoot is not null)
        {
            FileSystemAccess.DeleteDirectory(_temporaryRoot);
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"The PostgreSQL server of {DataDirectory} did not stop: {failure}");
        }
    }

    private static string TemporaryParent =>
        !OperatingSystem.IsWindows() && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();

    private static string RequireBinaries(string? preferred, string? dataVersion)
    {
        // An existing cluster needs the binaries of its own major version.
        if (preferred is null && dataVersion is not null
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(BinariesEnvironmentVariable)))
        {
            var matching = Path.Combine("/usr/lib/postgresql", dataVersion, "bin");
            if (HasTools(matching))
            {
                return matching;
            }
        }

        return FindBinaries(preferred) ?? throw new PostgresUnavailableException(DescribeMissingBinaries(preferred) + " "
            + "Install PostgreSQL (e.g. `apt-get install -y postgresql`) or set " + BinariesEnvironmentVariable
            + " to the folder holding pg_ctl, initdb and postgres.");
    }

    /// <summary>Why no binaries were found, in one sentence.</summary>
    internal static string DescribeMissingBinaries(string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            return $"The PostgreSQL binaries folder '{preferred}' does not hold pg_ctl, initdb and postgres.";
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(BinariesEnvironmentVariable);
        return !string.IsNullOrWhiteSpace(fromEnvironment)
            ? $"{BinariesEnvironmentVariable}='{fromEnvironment}' does not hold pg_ctl, initdb and postgres."
            : "No PostgreSQL binaries were found (looked in /usr/lib/postgresql/*/bin, on the PATH, /usr/pgsql-*/bin and Homebrew).";
    }

    private static bool HasTools(string directory) =>
        Directory.Exists(directory) && new[] { "pg_ctl", "initdb", "postgres" }.All(tool => File.Exists(Path.Combine(directory, Executable(tool))));

    private static string Executable(string tool) => OperatingSystem.IsWindows() ? tool + ".exe" : tool;

    private static IEnumerable<string> VersionedFolders(string parent, string pattern, string child)
    {
        string[] folders;
        try
        {
            folders = Directory.Exists(parent) ? Directory.GetDirectories(parent, pattern) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folders = [];
        }

        return folders
            .OrderByDescending(folder => VersionOf(Path.GetFileName(folder)))
            .ThenByDescending(folder => folder, StringComparer.Ordinal)
            .Select(folder => Path.Combine(folder, child));
    }

    private static System.Version VersionOf(string name)
    {
        var digits = new string(name.SkipWhile(c => !char.IsDigit(c)).TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).TrimEnd('.');
        if (!digits.Contains('.', StringComparison.Ordinal))
        {
            digits += ".0";
        }

        return System.Version.TryParse(digits, out var version) ? version : new System.Version(0, 0);
    }

    private static string? FindOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var pgCtl = Path.Combine(folder, Executable("pg_ctl"));
            if (!File.Exists(pgCtl))
            {
                continue;
            }

            // Debian puts a pg_ctl link on the PATH but not initdb: follow the link to the real folder.
            try
            {
                var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true);
                var targetFolder = target is null ? null : Path.GetDirectoryName(target.FullName);
                if (targetFolder is not null && HasTools(targetFolder))
                {
                    return targetFolder;
                }
            }
            catch (IOException)
            {
                // A broken link: try the folder itself.
            }

            if (HasTools(folder))
            {
                return Path.GetFullPath(folder);
            }
        }

        return null;
    }

    private static async Task RequireServerUserAsync(CancellationToken cancellationToken)
    {
        if (!await FileSystemAccess.ServerUserExistsAsync(cancellationToken))
        {
            throw new PostgresUnavailableException("We run as root, and PostgreSQL refuses to run as root, but there is no 'postgres' "
                + "user to run it as. Create one (`useradd --system postgres`; installing the postgresql package does it) "
                + "or run as a regular user.");
        }
    }

    private static string? ReadVersion(string dataDirectory)
    {
        try
        {
            var file = Path.Combine(dataDirectory, "PG_VERSION");
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string FallbackDirectory(string requested)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
        var parent = Path.Combine("/var/tmp", "codemigrations");
        FileSystemAccess.CreateTraversableDirectory(parent);
        return Path.Combine(parent, hash);
    }

    private static async Task PrepareEmptyDataDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"'{directory}' holds files but no PostgreSQL cluster (no PG_VERSION); "
                + "use an empty or missing folder for a new cluster.");
        }

        FileSystemAccess.CreateTraversableParents(directory);
        Directory.CreateDirectory(directory);
        await FileSystemAccess.GiveToServerUserAsync(directory, privateMode: true, cancellationToken);
    }

    private static async Task InitDbAsync(string binaries, string dataDirectory, bool noSync, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"];
        if (noSync)
        {
            arguments.Add("--no-sync");
        }

        var result = await ProcessRunner.RunToolAsync(Path.Combine(binaries, Executable("initdb")), arguments, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"initdb failed (exit code {result.ExitCode}): `{result.CommandLine}`{Environment.NewLine}{result.Output}");
        }
    }

    private static async Task<int> StartServerAsync(string binaries, string dataDirectory, string logFile, bool fsync,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var logStart = LengthOf(logFile);
            // No Unix socket: its folder would need care about permissions and path length, and TCP is all we use.
            var settings = string.Create(CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=500")
                + (fsync ? " -c fsync=on" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            var result = await ProcessRunner.RunToolAsync(Path.Combine(binaries, Executable("pg_ctl")),
                ["start", "-D", dataDirectory, "-w", "-t", StartTimeoutSeconds.ToString(CultureInfo.InvariantCulture), "-l", logFile,
                    "-o", settings],
                cancellationToken, TimeSpan.FromSeconds(StartTimeoutSeconds + 30));
            if (result.Succeeded)
            {
                return port;
            }

            var log = ReadFrom(logFile, logStart);
            await StopServerAsync(binaries, dataDirectory, "immediate", CancellationToken.None);
            var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
            if (portTaken && attempt < StartAttempts)
            {
                continue;
            }

            throw new InvalidOperationException($"PostgreSQL did not start (exit code {result.ExitCode}): `{result.CommandLine}`"
                + Environment.NewLine + result.Output + Environment.NewLine + $"--- end of {logFile} ---" + Environment.NewLine + Tail(log, 30));
        }
    }

    /// <summary>Stops the server; returns null when it stopped (or was not running), else what went wrong.</summary>
    private static async Task<string?> StopServerAsync(string binaries, string dataDirectory, string mode, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return null;
        }

        var pgCtl = Path.Combine(binaries, Executable("pg_ctl"));
        var result = await ProcessRunner.RunToolAsync(pgCtl, ["stop", "-D", dataDirectory, "-m", mode, "-w", "-t", "60"],
            cancellationToken, TimeSpan.FromSeconds(90));
        if (result.Succeeded || ReadRunningPort(dataDirectory) is null)
        {
            return null;
        }

        if (mode != "immediate")
        {
            var again = await ProcessRunner.RunToolAsync(pgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "60"],
                cancellationToken, TimeSpan.FromSeconds(90));
            if (again.Succeeded || ReadRunningPort(dataDirectory) is null)
            {
                return null;
            }
        }

        return result.Output;
    }

    private List<PosixSignalRegistration> RegisterTerminationSignals()
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
        {
            try
            {
                // A handler that cancelled the signal (a host shutting down gracefully, such as the console host on
                // Ctrl+C) still needs the server to roll back its work: then dispose stops it, not the signal.
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    if (!context.Cancel && (_temporaryRoot is not null || signal != PosixSignal.SIGINT))
                        StopOnProcessExit();
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere (Windows); ProcessExit still covers an orderly exit.
            }
        }

        return registrations;
    }

    private void StopOnProcessExit()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            var mode = _temporaryRoot is null ? "fast" : "immediate";
            ProcessRunner.RunTool(Path.Combine(_binaries, Executable("pg_ctl")), ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", "20"],
                TimeSpan.FromSeconds(25));
            if (_temporaryRoot is not null)
            {
                FileSystemAccess.DeleteDirectory(_temporaryRoot);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is ending: nothing more can be done, and the next run sweeps what is left.
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// The port of the server running on <paramref name="dataDirectory"/>, once it is ready; null when none runs
    /// (no postmaster.pid, or a stale one left by a dead process).
    /// </summary>
    private static async Task<int?> WaitForRunningServerAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(StartTimeoutSeconds);
        while (true)
        {
            var lines = ReadPidFile(dataDirectory);
            if (lines is null || !IsAlive(lines[0]))
            {
                return null;
            }

            if (lines.Length >= 8 && lines[7].Trim() == "ready" && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"A PostgreSQL server is running on {dataDirectory} but did not become ready "
                    + $"within {StartTimeoutSeconds} s (postmaster.pid status: '{(lines.Length >= 8 ? lines[7].Trim() : "?")}').");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static int? ReadRunningPort(string dataDirectory)
    {
        var lines = ReadPidFile(dataDirectory);
        return lines is not null && IsAlive(lines[0]) && lines.Length >= 4 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
            ? port
            : null;
    }

    private static string[]? ReadPidFile(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "postmaster.pid");
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return lines.Length > 0 && lines[0].Trim().Length > 0 ? lines : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(string pidText)
    {
        if (!int.TryParse(pidText.Trim(), CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12];
        // One small file per data directory, kept (deleting a lock file races with its next user), in a folder of our own.
        var folder = Path.Combine(Path.GetTempPath(), "codemigrations-locks-" + Environment.UserName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, hash + ".lock");
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static string OwnerStamp()
    {
        using var current = System.Diagnostics.Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId} {current.StartTime.ToUniversalTime().Ticks}");
    }

    private static bool OwnerIsAlive(string stamp)
    {
        var parts = stamp.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTicks))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            var started = process.StartTime.ToUniversalTime().Ticks;
            return !process.HasExited && Math.Abs(started - startTicks) < TimeSpan.TicksPerSecond * 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops and deletes the throwaway clusters of processes that died without cleaning up (killed test runs).
    /// Folders without an owner stamp, or whose owner still runs, are left alone.
    /// </summary>
    private static async Task SweepAbandonedClustersAsync(string binaries, CancellationToken cancellationToken)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(TemporaryParent, TemporaryPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            try
            {
                var ownerFile = Path.Combine(folder, OwnerFileName);
                if (!File.Exists(ownerFile) || OwnerIsAlive(await File.ReadAllTextAsync(ownerFile, cancellationToken)))
                {
                    continue;
                }

                var dataDirectory = Path.Combine(folder, "data");
                await StopServerAsync(binaries, dataDirectory, "immediate", cancellationToken);
                if (ReadPidFile(dataDirectory) is { } lines && IsAlive(lines[0]))
                {
                    continue; // Still running (another major version's pg_ctl, say): leave it rather than pull the floor from under it.
                }

                FileSystemAccess.DeleteDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
            {
                // Best effort: someone else's leftovers must not stop our start.
            }
        }
    }

    private static long LengthOf(string file)
    {
        try
        {
            return File.Exists(file) ? new FileInfo(file).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ReadFrom(string file, long offset)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read {file}: {e.Message})";
        }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
