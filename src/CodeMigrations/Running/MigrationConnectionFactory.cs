using Npgsql;

namespace CodeMigrations.Running;

/// <summary>Opens the run's connections, naming them in <c>pg_stat_activity</c> and keeping the password out of every message.</summary>
internal sealed class MigrationConnectionFactory : IAsyncDisposable, IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _dataSource;
    private readonly bool _ownsDataSource;

    private readonly string? _configurationError;
    private Task<NpgsqlConnection>? _early;
    private CancellationTokenSource? _earlyCancellation;

    public MigrationConnectionFactory(CodeMigrationsOptions options)
    {
        if (options.DataSource is { } given)
        {
            _dataSource = new Lazy<NpgsqlDataSource>(given);
            Target = Describe(given.ConnectionString);
            return;
        }

        // Configuration errors surface when a command first needs the database, never while resolving services.
        _dataSource = new Lazy<NpgsqlDataSource>(() => throw new InvalidOperationException(_configurationError));
        Target = "no database";
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            _configurationError = "No database is configured: set CodeMigrationsOptions.ConnectionString (or DataSource).";
            return;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the value, so no password leaks through it.
            _configurationError = $"The connection string is not valid: {e.Message}";
            return;
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = options.ApplicationName;
        Target = Describe(builder);
        _ownsDataSource = true;
        _dataSource = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(builder.ConnectionString).Build());
    }

    /// <summary>Where we connect, without the password: "Host=db;Port=5432;Database=app;Username=deploy".</summary>
    public string Target { get; }

    /// <summary>
    /// Starts opening the first connection in the background, for a caller that will certainly connect: connecting, and
    /// Npgsql's own start-up (building the data source, compiling its code on first use), then overlap the caller's other
    /// start-up work instead of following it. The next <see cref="OpenAsync"/> takes that connection, or its error.
    /// </summary>
    /// <param name="cancellationToken">The command's token: the same one its first <see cref="OpenAsync"/> gets.</param>
    public void StartOpening(CancellationToken cancellationToken)
    {
        if (_configurationError is not null || _early is not null)
            return;
        _earlyCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _earlyCancellation.Token;
        _early = Task.Run(() => OpenNewAsync(token), CancellationToken.None);
    }

    /// <exception cref="MigrationDatabaseException">The server cannot be reached or refuses the connection.</exception>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_configurationError is not null)
            throw new MigrationDatabaseException(_configurationError);
        if (Interlocked.Exchange(ref _early, null) is { } early)
            return await early;
        return await OpenNewAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenNewAsync(CancellationToken cancellationToken)
    {
        var connection = _dataSource.Value.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new MigrationDatabaseException(
                $"Could not connect to PostgreSQL ({Target}): {Execution.MigrationExecutor.DescribeError(e)}" +
                (e.InnerException is { } inner && e is not PostgresException ? $" ({inner.Message})" : "") +
                ". Check that the server is running and reachable, and the connection string.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseUnusedEarlyConnectionAsync();
        if (_ownsDataSource && _dataSource.IsValueCreated)
            await _dataSource.Value.DisposeAsync();
    }

    public void Dispose()
    {
        CloseUnusedEarlyConnectionAsync().AsTask().GetAwaiter().GetResult();
        if (_ownsDataSource && _dataSource.IsValueCreated)
            _dataSource.Value.Dispose();
    }

    /// <summary>A connection opened ahead but never taken (the command failed before connecting): stop it, close it.</summary>
    private async ValueTask CloseUnusedEarlyConnectionAsync()
    {
        var early = Interlocked.Exchange(ref _early, null);
        var cancellation = _earlyCancellation;
        _earlyCancellation = null;
        if (early is null)
        {
            cancellation?.Dispose();
            return;
        }

        await cancellation!.CancelAsync();
        // Npgsql stops a connect when cancelled, but not a server that accepted and never answers (until the connect
        // timeout): whatever is still under way is closed when it ends, without holding up the caller.
        _ = early.ContinueWith(static (opening, state) =>
        {
            if (opening.IsCompletedSuccessfully)
            {
                try
                {
                    opening.Result.Dispose();
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
                {
                    // Nobody asked for this connection: its failure is nobody's error.
                }
            }

            _ = opening.Exception; // observed: an unused connection's failure is nobody's error either
            ((CancellationTokenSource)state!).Dispose();
        }, cancellation, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal static string Describe(string? connectionString)
    {
        try
        {
            return Describe(new NpgsqlConnectionStringBuilder(connectionString));
        }
        catch (ArgumentException)
        {
            return "an invalid connection string";
        }
    }

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"Host={builder.Host};Port={builder.Port};Database={builder.Database ?? builder.Username};Username={builder.Username}";
}
