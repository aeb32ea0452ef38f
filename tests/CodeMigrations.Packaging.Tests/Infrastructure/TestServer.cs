using System.Diagnostics;
using CodeMigrations.Testing;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// The NUnit side of <see cref="TestPostgres"/>, the test run's server: started before the first test (it wraps every test,
/// being in the root namespace), so that a failure to get one fails every test with the instructions, never skipped for
/// want of a database; released after the last.
/// </summary>
[SetUpFixture]
public sealed class TestServer
{
    /// <summary>A fresh, empty database for one test.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync() => new(await TestPostgres.CreateDatabaseAsync());

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        var clock = Stopwatch.StartNew();
        var server = await TestPostgres.GetServerAsync();
        await TestContext.Progress.WriteLineAsync($"Test PostgreSQL: {server.Description} (ready in {clock.Elapsed.TotalSeconds:0.0} s)");
    }

    [OneTimeTearDown]
    public Task StopServerAsync() => TestPostgres.StopAsync();
}
