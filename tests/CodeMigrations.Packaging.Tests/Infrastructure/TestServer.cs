using CodeMigrations.Testing;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// One PostgreSQL server for the whole run (it wraps every test, being in the root namespace). Without a server the
/// set-up fails with the instructions to get one, so every test fails with them: never skipped for want of a database.
/// </summary>
[SetUpFixture]
public sealed class TestServer
{
    private static PostgresServer? _server;
    private static Exception? _startFailure;

    public static PostgresServer Server => _server ?? throw new InvalidOperationException(
        "The test PostgreSQL server is not running: " + (_startFailure?.Message ?? "the [SetUpFixture] TestServer has not run (yet)."),
        _startFailure);

    /// <summary>A fresh, empty database for one test.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync() => new(await Server.CreateDatabaseAsync());

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        try
        {
            var started = DateTime.UtcNow;
            _server = await PostgresServer.StartAsync(new PostgresServerOptions { Fsync = false });
            await TestContext.Progress.WriteLineAsync(
                $"Test PostgreSQL: {_server.Description} (ready in {(DateTime.UtcNow - started).TotalSeconds:0.0} s)");
        }
        catch (Exception e)
        {
            _startFailure = e;
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
            await server.DisposeAsync();
    }
}
