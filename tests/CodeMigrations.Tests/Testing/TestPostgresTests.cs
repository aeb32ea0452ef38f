using CodeMigrations.Testing;
using Npgsql;
using NUnit.Framework;
using static CodeMigrations.Tests.Testing.Queries;

namespace CodeMigrations.Tests.Testing;

[Parallelizable(ParallelScope.All)]
public sealed class TestPostgresTests
{
    [Test]
    public async Task The_test_run_has_one_server_that_every_caller_shares()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestPostgres.GetServerAsync()));

        Assert.That(servers, Has.All.SameAs(TestServer.Server));
    }

    [Test]
    public async Task Each_call_gives_a_fresh_empty_database_on_the_test_run_server()
    {
        var first = await TestPostgres.CreateDatabaseAsync();
        var second = await TestPostgres.CreateDatabaseAsync();
        await ExecuteAsync(first, "CREATE TABLE only_in_first (id int)");

        Assert.That(DatabaseOf(first), Does.StartWith("cm_test_").And.Not.EqualTo(DatabaseOf(second)));
        Assert.That(first, Is.EqualTo(TestServer.Server.ConnectionStringFor(DatabaseOf(first))));
        Assert.That(await ScalarAsync<bool>(second, "SELECT to_regclass('only_in_first') IS NOT NULL"), Is.False);
    }

    [Test]
    public async Task A_shared_server_is_started_once_for_concurrent_callers_and_releases_its_databases_when_disposed()
    {
        var variable = "CODEMIGRATIONS_TEST_CONNECTION_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, TestServer.Server.ConnectionString);
        try
        {
            var shared = new SharedPostgresServer(NoOtherWay(variable));
            var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => shared.GetAsync(CancellationToken.None)));
            var created = DatabaseOf(await shared.CreateDatabaseAsync(CancellationToken.None));

            Assert.That(servers.Distinct().Count(), Is.EqualTo(1));
            Assert.That(servers[0], Is.Not.SameAs(TestServer.Server));
            Assert.That(await DatabaseExistsAsync(created), Is.True);

            await shared.DisposeAsync();

            Assert.That(await DatabaseExistsAsync(created), Is.False, "the databases it made on an existing server are dropped");
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await shared.GetAsync(CancellationToken.None));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public async Task A_shared_server_that_could_not_start_gives_every_caller_the_same_failure_with_instructions()
    {
        await using var shared = new SharedPostgresServer(NoOtherWay("CODEMIGRATIONS_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()));

        var first = await Assert.ThrowsAsync<PostgresUnavailableException>(async () => await shared.GetAsync(CancellationToken.None));
        var second = await Assert.ThrowsAsync<PostgresUnavailableException>(async () => await shared.CreateDatabaseAsync(CancellationToken.None));

        Assert.That(second, Is.SameAs(first), "started once: the failure is remembered, not retried per test");
        Assert.That(first!.Message, Does.Contain("apt-get").And.Contain(PostgresServerOptions.DefaultConnectionEnvironmentVariable));
    }

    [Test]
    public async Task A_caller_that_stops_waiting_does_not_stop_the_start_for_the_others()
    {
        var variable = "CODEMIGRATIONS_TEST_CONNECTION_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, TestServer.Server.ConnectionString);
        try
        {
            await using var shared = new SharedPostgresServer(NoOtherWay(variable));

            await Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await shared.GetAsync(new CancellationToken(canceled: true)));
            var server = await shared.GetAsync(CancellationToken.None);

            Assert.That(await ScalarAsync<int>(server.ConnectionString, "SELECT 1"), Is.EqualTo(1));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    /// <summary>Only the server named by <paramref name="variable"/>: no Docker, no local binaries.</summary>
    private static PostgresServerOptions NoOtherWay(string variable) => new()
    {
        ConnectionEnvironmentVariable = variable,
        UseDocker = false,
        BinariesDirectory = "/nonexistent/codemigrations-bin",
    };
}
