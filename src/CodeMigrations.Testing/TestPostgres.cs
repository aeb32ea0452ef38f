namespace CodeMigrations.Testing;

/// <summary>
/// The PostgreSQL of a test run: one server per test process, found or started on first use and shared by every test,
/// and a fresh, empty database for each test that asks. The one call a test needs:
/// <code>
/// var connectionString = await TestPostgres.CreateDatabaseAsync();
/// </code>
/// The server is found or started as <see cref="PostgresServer.StartAsync"/> does, with fsync off for speed: the server
/// named by <c>CODEMIGRATIONS_TEST_CONNECTION</c> when it is set, else a <c>postgres:15-alpine</c> container through
/// Testcontainers when a Docker engine answers, else a throwaway cluster from the local PostgreSQL binaries. When none can
/// be had, every call fails with the same <see cref="PostgresUnavailableException"/>, whose message says what was tried
/// and how to get a server: tests fail with it rather than being skipped.
/// </summary>
/// <remarks>
/// Call <see cref="StopAsync"/> once after the last test (NUnit: <c>[OneTimeTearDown]</c> of a <c>[SetUpFixture]</c>;
/// xUnit: an assembly fixture's dispose; MSTest: <c>[AssemblyCleanup]</c>). Without it, a throwaway cluster is still
/// stopped and removed when the process exits, and a container by the Testcontainers resource reaper; but on a server
/// named by <c>CODEMIGRATIONS_TEST_CONNECTION</c>, the databases created for the tests are dropped only by
/// <see cref="StopAsync"/>. For other options (fsync on, no Docker, binaries elsewhere), start a
/// <see cref="PostgresServer"/> of your own.
/// </remarks>
public static class TestPostgres
{
    private static readonly PostgresServerOptions Options = new() { Fsync = false };

    private static SharedPostgresServer _current = new(Options);

    /// <summary>The test run's server, found or started by the first call; the same server for every call after.</summary>
    /// <param name="cancellationToken">Stops this caller's wait; the start goes on for the others.</param>
    /// <returns>The server, e.g. for <see cref="ReversibilityCheck"/>, <see cref="PostgresServer.ConnectionStringFor"/> or
    /// <see cref="PostgresServer.Description"/>. Do not dispose it: <see cref="StopAsync"/> does.</returns>
    /// <exception cref="PostgresUnavailableException">No server could be had; the message says how to get one.</exception>
    public static Task<PostgresServer> GetServerAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _current).GetAsync(cancellationToken);

    /// <summary>
    /// A fresh, empty database (a random <c>cm_test_…</c> name) on the test run's server, which the first call finds or starts.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the server and the creation.</param>
    /// <returns>The connection string of the new database, as the server's user.</returns>
    /// <exception cref="PostgresUnavailableException">No server could be had; the message says how to get one.</exception>
    public static Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _current).CreateDatabaseAsync(cancellationToken);

    /// <summary>
    /// Releases the test run's server: stops and removes a container or throwaway cluster; on a server named by
    /// <c>CODEMIGRATIONS_TEST_CONNECTION</c>, drops the databases created for the tests. A later call starts a new server.
    /// </summary>
    /// <returns>A task that completes once the server is released.</returns>
    public static async Task StopAsync()
    {
        var previous = Interlocked.Exchange(ref _current, new SharedPostgresServer(Options));
        await previous.DisposeAsync();
    }
}
