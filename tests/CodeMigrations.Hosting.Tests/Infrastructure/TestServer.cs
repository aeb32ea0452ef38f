using System.Diagnostics;
using CodeMigrations.Testing;

// The tests mostly wait on processes and the server: run more of them at once than there are cores.
[assembly: LevelOfParallelism(8)]
[assembly: Parallelizable(ParallelScope.Fixtures)]

namespace CodeMigrations.Hosting.Tests;

/// <summary>The test run's PostgreSQL (<see cref="TestPostgres"/>), started before the first test and released after the last.</summary>
[SetUpFixture]
public sealed class TestServer
{
    /// <summary>A fresh, empty database for one test; returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync();

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
