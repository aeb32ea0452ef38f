using CodeMigrations.Testing;
using Npgsql;
using NUnit.Framework;
using static CodeMigrations.Tests.Testing.Queries;

namespace CodeMigrations.Tests.Testing;

[Parallelizable(ParallelScope.All)]
public sealed class PostgresServerTests
{
    [Test]
    public async Task A_created_database_is_empty_and_accepts_connections()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();

        var database = await ScalarAsync<string>(connectionString, "SELECT current_database()");
        var tables = await ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'");

        Assert.That(database, Is.EqualTo(DatabaseOf(connectionString)).And.StartWith("cm_test_"));
        Assert.That(tables, Is.Zero);
    }

    [Test]
    public async Task Created_databases_are_distinct_and_share_no_tables()
    {
        var first = await TestServer.CreateDatabaseAsync();
        var second = await TestServer.CreateDatabaseAsync();

        await ExecuteAsync(first, "CREATE TABLE only_in_first (id int)");
        var inSecond = await ScalarAsync<bool>(second, "SELECT to_regclass('only_in_first') IS NOT NULL");

        Assert.That(DatabaseOf(first), Is.Not.EqualTo(DatabaseOf(second)));
        Assert.That(inSecond, Is.False);
    }

    [Test]
    public async Task A_named_database_is_created_under_that_name_and_dropped_even_with_open_connections()
    {
        var name = "cm_named_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = await TestServer.Server.CreateDatabaseAsync(name);
        Assert.That(DatabaseOf(connectionString), Is.EqualTo(name));
        Assert.That(connectionString, Is.EqualTo(TestServer.Server.ConnectionStringFor(name)));

        await using var stillOpen = new NpgsqlConnection(Unpooled(connectionString));
        await stillOpen.OpenAsync();
        await TestServer.Server.DropDatabaseAsync(name);

        Assert.That(await DatabaseExistsAsync(name), Is.False);
        var reconnect = await Assert.ThrowsAsync<PostgresException>(async () => await ScalarAsync<int>(connectionString, "SELECT 1"));
        Assert.That(reconnect!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidCatalogName));
    }

    [Test]
    public async Task Dropping_a_database_that_does_not_exist_is_not_an_error()
    {
        await TestServer.Server.DropDatabaseAsync("cm_never_created_" + Guid.NewGuid().ToString("N")[..8]);
    }

    [Test]
    public void The_description_says_which_server_it_is_and_never_contains_a_password()
    {
        var server = TestServer.Server;
        var password = new NpgsqlConnectionStringBuilder(server.ConnectionString).Password;

        Assert.That(server.Description, Does.Contain("PostgreSQL").Or.Contain("postgres"));
        Assert.That(server.Description, Does.Not.Contain("password").IgnoreCase);
        if (!string.IsNullOrEmpty(password))
        {
            Assert.That(server.Description, Does.Not.Contain(password));
        }
    }

    [Test]
    public async Task A_server_named_by_the_environment_is_used_as_it_is_and_only_the_databases_made_through_it_are_dropped()
    {
        var variable = "CODEMIGRATIONS_TEST_CONNECTION_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var builder = new NpgsqlConnectionStringBuilder(TestServer.Server.ConnectionString);
        builder.Password ??= "not-a-real-secret-" + Guid.NewGuid().ToString("N")[..6]; // trust authentication ignores it
        var password = builder.Password;
        var keptElsewhere = DatabaseOf(await TestServer.CreateDatabaseAsync());
        Environment.SetEnvironmentVariable(variable, builder.ConnectionString);
        try
        {
            string created;
            await using (var server = await PostgresServer.StartAsync(new PostgresServerOptions
            {
                ConnectionEnvironmentVariable = variable,
                UseDocker = false,
                BinariesDirectory = "/nonexistent/codemigrations-bin",
            }))
            {
                Assert.That(server.Description, Does.Contain(variable).And.Not.Contain(password));
                Assert.That(server.Description, Does.Not.Contain("password").IgnoreCase);
                created = DatabaseOf(await server.CreateDatabaseAsync());
                Assert.That(await DatabaseExistsAsync(created), Is.True);
            }

            Assert.That(await DatabaseExistsAsync(created), Is.False);
            Assert.That(await DatabaseExistsAsync(keptElsewhere), Is.True);
            Assert.That(await ScalarAsync<int>(TestServer.Server.ConnectionString, "SELECT 1"), Is.EqualTo(1));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public async Task Without_any_way_to_a_server_the_start_fails_with_instructions()
    {
        var options = new PostgresServerOptions
        {
            ConnectionEnvironmentVariable = "CODEMIGRATIONS_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            UseDocker = false,
            BinariesDirectory = "/nonexistent/codemigrations-bin",
        };

        var failure = await Assert.ThrowsAsync<PostgresUnavailableException>(async () => await PostgresServer.StartAsync(options));

        Assert.That(failure!.Message, Does.Contain("apt-get").And.Contain("CODEMIGRATIONS_TEST_CONNECTION"));
        Assert.That(failure.Message, Does.Contain(options.ConnectionEnvironmentVariable).And.Contain(options.BinariesDirectory));
    }
}
