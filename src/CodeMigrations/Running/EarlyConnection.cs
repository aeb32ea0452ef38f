using Npgsql;

namespace CodeMigrations.Running;

/// <summary>
/// A connection that starts opening on the thread pool before anyone asks for it, so that connecting and Npgsql's own
/// start-up (building the data source, compiling its code on first use) overlap the command's other start-up work
/// instead of following it. Its first taker gets the connection, or the error opening it would have raised anyway.
/// </summary>
/// <remarks>
/// It owns what it opened until then: disposing it cancels an opening still under way and closes a connection nobody
/// took, without waiting for a server that never answers; and it disposes a data source it built itself.
/// </remarks>
public sealed class EarlyConnection : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly bool _ownsDataSource;
    private Task<NpgsqlConnection>? _connection;
    private CancellationTokenRegistration _commandCancellation;
    private int _disposed;

    private EarlyConnection(string? connectionString, Func<NpgsqlDataSource> createDataSource, bool ownsDataSource, string target)
    {
        ConnectionString = connectionString;
        _ownsDataSource = ownsDataSource;
        var token = _cancellation.Token;
        DataSource = Task.Run(createDataSource, CancellationToken.None);
        _connection = Task.Run(async () => await MigrationConnectionFactory.OpenAsync(await DataSource, target, token), CancellationToken.None);
    }

    /// <summary>The connection string its own data source is built from (with the application name); <see langword="null"/> when it borrows one.</summary>
    public string? ConnectionString { get; }

    /// <summary>The data source the connection comes from, built on the thread pool too.</summary>
    public Task<NpgsqlDataSource> DataSource { get; }

    /// <summary>
    /// Starts opening a connection with a connection string known before the command's configuration is complete (the
    /// command line's), on a data source of its own. <see langword="null"/> when the string does not parse: whoever
    /// configures the command reports that.
    /// </summary>
    public static EarlyConnection? Start(string connectionString, string applicationName)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = applicationName;
        var normalised = builder.ConnectionString;
        return new EarlyConnection(normalised, () => new NpgsqlDataSourceBuilder(normalised).Build(), ownsDataSource: true,
            MigrationConnectionFactory.Describe(builder));
    }

    /// <summary>Starts opening a connection from a data source someone else owns.</summary>
    public static EarlyConnection Start(Lazy<NpgsqlDataSource> dataSource, string target) =>
        new(null, () => dataSource.Value, ownsDataSource: false, target);

    /// <summary>Makes the command's cancellation (Ctrl+C) stop the opening too, as it would stop an ordinary open.</summary>
    public void CancelWith(CancellationToken cancellationToken) =>
        _commandCancellation = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _cancellation);

    /// <summary>The connection being opened, once: the first caller owns it; later callers get <see langword="null"/>.</summary>
    public Task<NpgsqlConnection>? Take() => Interlocked.Exchange(ref _connection, null);

    /// <summary>Cancels an opening still under way, closes a connection nobody took, and disposes a data source it built.</summary>
    /// <returns>A task that completes when everything it owned is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _commandCancellation.DisposeAsync();
        var untaken = Take();
        if (untaken is not null && !untaken.IsCompleted)
            await _cancellation.CancelAsync();
        var cleanUp = CleanUpAsync(untaken);
        // Npgsql stops a connect when cancelled, but not a server that accepted and never answers (until the connect
        // timeout): what is still under way is closed when it ends, without holding up the caller.
        if (cleanUp.IsCompleted || (untaken?.IsCompleted ?? true) && DataSource.IsCompleted)
            await cleanUp;
    }

    private async Task CleanUpAsync(Task<NpgsqlConnection>? untaken)
    {
        try
        {
            if (untaken is not null)
                await (await untaken).DisposeAsync();
        }
        catch (Exception e) when (e is MigrationDatabaseException or OperationCanceledException or NpgsqlException or InvalidOperationException)
        {
            // Nobody asked for this connection: its failure is nobody's error.
        }

        try
        {
            if (_ownsDataSource)
                await (await DataSource).DisposeAsync();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NpgsqlException)
        {
            // A data source that could not be built has nothing to release.
        }

        _cancellation.Dispose();
    }
}
