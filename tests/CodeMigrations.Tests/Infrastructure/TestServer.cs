using CodeMigrations.Testing;
using NUnit.Framework;

namespace CodeMigrations.Tests;

/// <summary>
/// One PostgreSQL server for the whole test run (it wraps every test, being in the root namespace), found or started by
/// <see cref="PostgresServer.StartAsync"/>. Without a server, the set-up fails with the instructions to get one, so every
/// test fails with them: tests are never skipped for want of a database.
/// </summary>
[SetUpFixture]
public sealed class TestServer
{
    private static PostgresServer? _server;
    private static Exception? _startFailure;

    /// <summary>The server of this test run.</summary>
    public static PostgresServer Server => _server ?? throw new InvalidOperationException(
        "The test PostgreSQL server is not running: " + (_startFailure?.Message ?? "the [SetUpFixture] TestServer has not run (yet)."),
        _startFailure);

    /// <summary>A fresh, empty database for one test; returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

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
            // Rethrown as is: NUnit fails every test below this fixture with this message.
            _startFailure = e;
            throw;
        }
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
