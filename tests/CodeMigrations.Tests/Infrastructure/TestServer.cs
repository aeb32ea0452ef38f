using System.Diagnostics;
using CodeMigrations.Testing;
using NUnit.Framework;

namespace CodeMigrations.Tests;

/// <summary>
/// The NUnit side of <see cref="TestPostgres"/>, the test run's server: started before the first test (it wraps every test,
/// being in the root namespace) so that it is described once and a failure to get one fails every test with the
/// instructions, never skipped for want of a database; released after the last.
/// </summary>
[SetUpFixture]
public sealed class TestServer
{
    private static PostgresServer? _server;

    /// <summary>The server of this test run.</summary>
    public static PostgresServer Server => _server
        ?? throw new InvalidOperationException("The test PostgreSQL server is not running: the [SetUpFixture] TestServer has not run (yet).");

    /// <summary>A fresh, empty database for one test; returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync();

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        var clock = Stopwatch.StartNew();
        _server = await TestPostgres.GetServerAsync();
        await TestContext.Progress.WriteLineAsync($"Test PostgreSQL: {_server.Description} (ready in {clock.Elapsed.TotalSeconds:0.0} s)");
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        _server = null;
        await TestPostgres.StopAsync();
    }
}
