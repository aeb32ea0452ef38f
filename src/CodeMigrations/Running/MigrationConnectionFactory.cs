using Npgsql;

namespace CodeMigrations.Running;

/// <summary>Opens the run's connections, naming them in <c>pg_stat_activity</c> and keeping the password out of every message.</summary>
public sealed class MigrationConnectionFactory : IAsyncDisposable, IDisposable
{
    private readonly string? _configurationError;
    private readonly string? _connectionString;
    private Lazy<NpgsqlDataSource> _dataSource;
    private bool _ownsDataSource;
    private EarlyConnection? _early;

    /// <summary>Connections to <see cref="CodeMigrationsOptions.DataSource"/> when set, else to <see cref="CodeMigrationsOptions.ConnectionString"/>.</summary>
    /// <param name="options">The configured database.</param>
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
        _connectionString = builder.ConnectionString;
        _dataSource = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(_connectionString).Build());
    }

    /// <summary>Where we connect, without the password: "Host=db;Port=5432;Database=app;Username=deploy".</summary>
    public string Target { get; }

    /// <summary>
    /// Starts opening the first connection in the background, for a caller that will certainly connect: connecting, and
    /// Npgsql's own start-up (building the data source, compiling its code on first use), then overlap the caller's other
    /// start-up work instead of following it. The next <see cref="OpenAsync(CancellationToken)"/> takes that connection, or its error.
    /// </summary>
    /// <param name="cancellationToken">The command's token: the same one its first <see cref="OpenAsync(CancellationToken)"/> gets.</param>
    public void StartOpening(CancellationToken cancellationToken)
    {
        if (_configurationError is not null || _early is not null)
            return;
        _early = EarlyConnection.Start(_dataSource, Target);
        _early.CancelWith(cancellationToken);
    }

    /// <summary>
    /// Takes over a connection that started opening before this factory existed, when it is exactly the connection this
    /// factory would open (same connection string, application name included, and no data source given): its data source
    /// becomes this factory's, and the next <see cref="OpenAsync(CancellationToken)"/> takes the connection.
    /// </summary>
    /// <param name="early">The connection opened ahead; this factory disposes it from now on when the result is <see langword="true"/>.</param>
    /// <param name="cancellationToken">The command's token: the same one its first <see cref="OpenAsync(CancellationToken)"/> gets.</param>
    /// <returns>Whether it was taken over; if not, the caller still owns it.</returns>
    public bool Adopt(EarlyConnection early, CancellationToken cancellationToken)
    {
        if (_early is not null || !_ownsDataSource || _dataSource.IsValueCreated || early.ConnectionString is null
            || !string.Equals(early.ConnectionString, _connectionString, StringComparison.Ordinal))
        {
            return false;
        }

        var dataSource = early.DataSource;
        _dataSource = new Lazy<NpgsqlDataSource>(() => dataSource.GetAwaiter().GetResult());
        _ownsDataSource = false; // the early connection disposes the data source it built
        _early = early;
        early.CancelWith(cancellationToken);
        return true;
    }

    /// <exception cref="MigrationDatabaseException">The server cannot be reached or refuses the connection.</exception>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_configurationError is not null)
            throw new MigrationDatabaseException(_configurationError);
        if (_early?.Take() is { } early)
            return await early;
        return await OpenAsync(_dataSource.Value, Target, cancellationToken);
    }

    /// <exception cref="MigrationDatabaseException">The server cannot be reached or refuses the connection.</exception>
    internal static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, string target, CancellationToken cancellationToken)
    {
        var connection = dataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new MigrationDatabaseException(
                $"Could not connect to PostgreSQL ({target}): {Execution.MigrationExecutor.DescribeError(e)}" +
                (e.InnerException is { } inner && e is not PostgresException ? $" ({inner.Message})" : "") +
                ". Check that the server is running and reachable, and the connection string.", e);
        }
    }

    /// <summary>Disposes the data source it built itself (never one it was given).</summary>
    /// <returns>A task that completes when the data source is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_early is not null)
            await _early.DisposeAsync();
        if (_ownsDataSource && _dataSource.IsValueCreated)
            await _dataSource.Value.DisposeAsync();
    }

    /// <summary>Disposes the data source it built itself (never one it was given).</summary>
    public void Dispose()
    {
        _early?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_ownsDataSource && _dataSource.IsValueCreated)
            _dataSource.Value.Dispose();
    }

    /// <summary>Names the server and database of <paramref name="connectionString"/> for messages: never its password.</summary>
    /// <param name="connectionString">A connection string.</param>
    /// <returns>Host, port, database and user name, or "an invalid connection string".</returns>
    public static string Describe(string? connectionString)
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

    /// <summary>Names the server and database of <paramref name="builder"/> for messages: never its password.</summary>
    /// <param name="builder">A parsed connection string.</param>
    /// <returns>Host, port, database and user name.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"Host={builder.Host};Port={builder.Port};Database={builder.Database ?? builder.Username};Username={builder.Username}";
}
