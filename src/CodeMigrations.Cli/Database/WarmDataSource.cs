using Npgsql;

namespace CodeMigrations.Cli.Database;

/// <summary>
/// The data source of the command line's connection string, built once, before the command line is parsed, and warmed:
/// its first connection opens on the thread pool and goes back to the pool, so that connecting and Npgsql's own start-up
/// (building the data source, compiling its code on first use) overlap the command's other start-up work. The command
/// hands it to the core through <see cref="CodeMigrationsOptions.DataSource"/> when its configuration names that same
/// connection string (<see cref="Serves"/>); otherwise it is disposed unused.
/// </summary>
/// <remarks>
/// <para>
/// The command waits for the warm-up, within <see cref="MaxWait"/>, before its runner connects
/// (<see cref="WaitForWarmUpAsync"/>): a pool takes an idle connection only once it is back, so a runner asking earlier
/// would open a second connection beside the warm one (measured: two connections per no-op run without the wait).
/// </para>
/// <para>
/// It owns the data source: disposing it cancels a warm-up still under way and disposes the data source without waiting
/// for a server that never answers. A warm-up that fails is nobody's error: the command's own first open reports it.
/// </para>
/// </remarks>
internal sealed class WarmDataSource : IAsyncDisposable
{
    /// <summary>
    /// How long a command waits at most for the warm-up. Beyond it, the runner opens its own connection: the bound keeps a
    /// server that is slow or never answers from delaying a command that refuses before it connects (an unknown target,
    /// an invalid migration set) by more than this. A local first connection takes about 0.2 s, mostly Npgsql's start-up.
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _cancellation = new();
    private readonly Task<NpgsqlDataSource> _dataSource;
    private readonly Task _warmUp;
    private readonly bool _namesApplication;
    private int _disposed;

    private WarmDataSource(string connectionString, NpgsqlDataSourceBuilder builder, string applicationName)
    {
        ConnectionString = connectionString;
        _namesApplication = !string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName);
        if (!_namesApplication)
            builder.ConnectionStringBuilder.ApplicationName = applicationName;
        ApplicationName = builder.ConnectionStringBuilder.ApplicationName!;
        var pooling = builder.ConnectionStringBuilder.Pooling;
        var token = _cancellation.Token;
        _dataSource = Task.Run(builder.Build, CancellationToken.None);
        // Without pooling, a connection closed is gone: building the data source is all the warming there is.
        _warmUp = pooling ? Task.Run(() => WarmUpAsync(token), CancellationToken.None) : WarmUpAsync(null);
    }

    /// <summary>The connection string as the command line gave it.</summary>
    public string ConnectionString { get; }

    /// <summary>The application name its connections show: the connection string's own, else the one it was started with.</summary>
    public string ApplicationName { get; }

    /// <summary>Completes when the first connection is open and back in the pool, or has failed (never faults).</summary>
    public Task WarmUp => _warmUp;

    /// <summary>
    /// Starts building and warming the data source of <paramref name="connectionString"/>, with
    /// <paramref name="applicationName"/> unless the string names an application. <see langword="null"/> when the string
    /// does not parse: whoever configures the command reports that.
    /// </summary>
    public static WarmDataSource? Start(string connectionString, string applicationName)
    {
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return new WarmDataSource(connectionString, builder, applicationName);
    }

    /// <summary>
    /// Whether the configured <paramref name="options"/> would connect exactly as this data source does: no data source of
    /// their own, the same connection string, and the same application name.
    /// </summary>
    public bool Serves(CodeMigrationsOptions options) =>
        options.DataSource is null
        && string.Equals(options.ConnectionString, ConnectionString, StringComparison.Ordinal)
        && (_namesApplication || string.Equals(options.ApplicationName, ApplicationName, StringComparison.Ordinal));

    /// <summary>The data source, once built (on the thread pool, started with this object).</summary>
    public Task<NpgsqlDataSource> GetDataSourceAsync(CancellationToken cancellationToken) => _dataSource.WaitAsync(cancellationToken);

    /// <summary>Waits until the first connection is back in the pool (or has failed), or <see cref="MaxWait"/> has passed.</summary>
    public async Task WaitForWarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _warmUp.WaitAsync(MaxWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still under way: the runner connects on its own, beside it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        if (!_warmUp.IsCompleted)
            await _cancellation.CancelAsync();
        var cleanUp = CleanUpAsync();
        // Npgsql stops a connect when cancelled, but not a server that accepted and never answers (until the connect
        // timeout): what is still under way is disposed when it ends, without holding up the command.
        if (_warmUp.IsCompleted)
            await cleanUp;
    }

    /// <summary>Builds the data source and, given a token, opens its first connection and closes it back into the pool.</summary>
    private async Task WarmUpAsync(CancellationToken? open)
    {
        try
        {
            var dataSource = await _dataSource;
            if (open is { } cancellationToken)
                await (await dataSource.OpenConnectionAsync(cancellationToken)).DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException
            or System.Net.Sockets.SocketException or ArgumentException or InvalidOperationException)
        {
            // Nobody asked for this connection: the command's own open reports what is wrong.
        }
    }

    private async Task CleanUpAsync()
    {
        await _warmUp;
        try
        {
            await (await _dataSource).DisposeAsync();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NpgsqlException)
        {
            // A data source that could not be built has nothing to release.
        }

        _cancellation.Dispose();
    }
}
