namespace CodeMigrations.Testing;

/// <summary>
/// One <see cref="PostgresServer"/> shared by many callers: started by the first call, on its own (a caller's cancellation
/// stops only that caller's wait), and the same server, or the same failure, for every call after. Disposing it releases
/// the server; it cannot be used again. <see cref="TestPostgres"/> keeps the one of the test run.
/// </summary>
internal sealed class SharedPostgresServer : IAsyncDisposable
{
    private readonly PostgresServerOptions _options;
    private readonly Lock _gate = new();
    private Task<PostgresServer>? _start;
    private bool _disposed;

    /// <param name="options">How the server is found or started, on first use.</param>
    public SharedPostgresServer(PostgresServerOptions options) => _options = options;

    /// <summary>The server, found or started by the first call.</summary>
    /// <exception cref="PostgresUnavailableException">No server could be had (the same exception for every call).</exception>
    /// <exception cref="ObjectDisposedException">The shared server was disposed.</exception>
    public Task<PostgresServer> GetAsync(CancellationToken cancellationToken)
    {
        Task<PostgresServer> start;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            start = _start ??= Task.Run(() => PostgresServer.StartAsync(_options, CancellationToken.None), CancellationToken.None);
        }

        return start.WaitAsync(cancellationToken);
    }

    /// <summary>A fresh, empty database on the server; its connection string.</summary>
    /// <exception cref="PostgresUnavailableException">No server could be had.</exception>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var server = await GetAsync(cancellationToken);
        return await server.CreateDatabaseAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Releases the server if one was started (see <see cref="PostgresServer.DisposeAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        Task<PostgresServer>? start;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            start = _start;
        }

        if (start is null)
        {
            return;
        }

        // A start that failed left nothing to release; its failure was the callers' to see.
        await ((Task)start).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync();
        }
    }
}
