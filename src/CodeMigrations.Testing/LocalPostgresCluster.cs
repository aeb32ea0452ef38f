using System.Globalization;
using CodeMigrations.Testing.LocalCluster;

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
    public const string BinariesEnvironmentVariable = PostgresBinaries.EnvironmentVariable;

    private readonly ClusterControl _control;
    private readonly ProcessExitHook? _exitHook;
    private int _stopped;

    private LocalPostgresCluster(ClusterControl control, string dataDirectory, int port, string? temporaryRoot, bool ownsServer)
    {
        _control = control;
        TemporaryRoot = temporaryRoot;
        OwnsServer = ownsServer;
        DataDirectory = dataDirectory;
        Port = port;
        Version = ClusterDirectories.ReadVersion(dataDirectory) ?? "?";
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        if (ownsServer)
        {
            // A run that ends without disposing must not leave the server running.
            _exitHook = ProcessExitHook.Register(StopBeforeExit, stopOnInterrupt: temporaryRoot is not null);
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
    public string BinariesDirectory => _control.BinariesDirectory;

    /// <summary>
    /// Whether this instance started the server (and so stops it on dispose), rather than finding it already running.
    /// </summary>
    public bool OwnsServer { get; }

    /// <summary>The folder removed on dispose, for a throwaway cluster; null for a persistent one.</summary>
    internal string? TemporaryRoot { get; }

    private ShutdownMode StopMode => TemporaryRoot is null ? ShutdownMode.Fast : ShutdownMode.Immediate;

    /// <summary>
    /// Finds the folder of the PostgreSQL binaries (one holding <c>pg_ctl</c>, <c>initdb</c> and <c>postgres</c>):
    /// <paramref name="preferred"/> when given, else the <c>CODEMIGRATIONS_PG_BIN</c> environment variable, else the highest
    /// version under <c>/usr/lib/postgresql/*/bin</c>, else the folder of <c>pg_ctl</c> on the PATH, else other usual places
    /// (<c>/usr/pgsql-*/bin</c>, Homebrew). A folder named explicitly (argument or environment) is the only one considered.
    /// </summary>
    /// <param name="preferred">A folder to use instead of searching.</param>
    /// <returns>The full path of the folder, or null when there is none.</returns>
    public static string? FindBinaries(string? preferred = null) => PostgresBinaries.Find(preferred);

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
        var control = new ClusterControl(PostgresBinaries.Require(options.BinariesDirectory, dataVersion: null));
        await FileSystemAccess.RequireServerUserAsync(cancellationToken);
        await AbandonedClusters.SweepAsync(control, cancellationToken);

        var root = ClusterDirectories.CreateTemporaryRoot();
        var dataDirectory = ClusterDirectories.DataDirectoryOf(root);
        var started = false;
        try
        {
            await AbandonedClusters.StampOwnerAsync(root, cancellationToken);
            await FileSystemAccess.GiveToServerUserAsync(root, privateMode: false, cancellationToken);
            await control.InitDbAsync(dataDirectory, noSync: true, cancellationToken);
            var port = await control.StartAsync(dataDirectory, Path.Combine(root, "server.log"), options.Fsync, cancellationToken);
            started = true;
            return new LocalPostgresCluster(control, dataDirectory, port, root, ownsServer: true);
        }
        catch
        {
            if (started)
            {
                await control.StopAsync(dataDirectory, ShutdownMode.Immediate, CancellationToken.None);
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
        await FileSystemAccess.RequireServerUserAsync(cancellationToken);
        var directory = await ClusterDirectories.PersistentAsync(Path.GetFullPath(dataDirectory), cancellationToken);
        var control = new ClusterControl(PostgresBinaries.Require(options.BinariesDirectory, ClusterDirectories.ReadVersion(directory)));

        // Two commands starting the same cluster at once: one runs initdb and starts it, the other then finds it running.
        using var startLock = await DataDirectoryLock.AcquireAsync(directory, cancellationToken);
        if (await PostmasterPidFile.WaitForReadyPortAsync(directory, ClusterControl.StartTimeout, cancellationToken) is { } runningPort)
        {
            return new LocalPostgresCluster(control, directory, runningPort, temporaryRoot: null, ownsServer: false);
        }

        if (!ClusterDirectories.HoldsCluster(directory))
        {
            await ClusterDirectories.PrepareEmptyAsync(directory, cancellationToken);
            await control.InitDbAsync(directory, noSync: !options.Fsync, cancellationToken);
        }

        var port = await control.StartAsync(directory, Path.Combine(directory, "server.log"), options.Fsync, cancellationToken);
        return new LocalPostgresCluster(control, directory, port, temporaryRoot: null, ownsServer: true);
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

        _exitHook?.Dispose();
        var failure = OwnsServer ? await _control.StopAsync(DataDirectory, StopMode, CancellationToken.None) : null;
        if (TemporaryRoot is not null)
        {
            FileSystemAccess.DeleteDirectory(TemporaryRoot);
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"The PostgreSQL server of {DataDirectory} did not stop: {failure}");
        }
    }

    private void StopBeforeExit()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            _control.StopBeforeExit(DataDirectory, StopMode);
            if (TemporaryRoot is not null)
            {
                FileSystemAccess.DeleteDirectory(TemporaryRoot);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is ending: nothing more can be done, and the next run sweeps what is left.
        }
    }
}
