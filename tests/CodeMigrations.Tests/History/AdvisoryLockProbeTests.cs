using CodeMigrations.History;
using CodeMigrations.Tests.Running;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.History;

/// <summary>
/// A server without advisory locks (CockroachDB, older YugabyteDB, or a role denied them) cannot be installed here: a role
/// whose database has the lock functions revoked from PUBLIC stands in for one.
/// </summary>
public sealed class AdvisoryLockProbeTests
{
    [Test]
    public async Task A_run_on_a_server_that_denies_advisory_locks_fails_before_anything_runs_naming_the_server_and_how_to_grant_them()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var role = "cm_no_locks_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(connectionString, $"""
            CREATE ROLE {role} LOGIN;
            GRANT CREATE ON SCHEMA public TO {role};
            REVOKE EXECUTE ON FUNCTION pg_try_advisory_lock(bigint) FROM PUBLIC;
            REVOKE EXECUTE ON FUNCTION pg_try_advisory_xact_lock(bigint) FROM PUBLIC;
            """);
        try
        {
            var asRole = new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString;
            await using var runner = TestRunner.For(asRole, typeof(ConcurrencyTests.Counted));

            var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => runner.Runner.UpAsync()))!;

            Assert.That(error.Message, Does.StartWith("The migration lock needs PostgreSQL's advisory locks, and this server does not offer them to this user: 42501: permission denied for function pg_try_advisory_lock"));
            Assert.That(error.Message, Does.Contain("Server: PostgreSQL 15"));
            Assert.That(error.Message, Does.Contain("GRANT EXECUTE ON FUNCTION pg_try_advisory_lock(bigint) TO <role>"));
            Assert.That(error.Message, Does.Contain("does not run without the lock"));
            Assert.That(await ScalarAsync<bool>(connectionString, "SELECT to_regclass('public.runs') IS NULL AND to_regclass('public.migration_history') IS NULL"),
                Is.True, "nothing ran, not even the history table was created");
        }
        finally
        {
            await ExecuteAsync(connectionString, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [TestCase("pg_try_advisory_lock(bigint), pg_try_advisory_xact_lock(bigint)", "pg_try_advisory_lock")]
    [TestCase("pg_try_advisory_xact_lock(bigint)", "pg_try_advisory_xact_lock")]
    public async Task Through_a_transaction_pooling_PgBouncer_a_role_denied_advisory_locks_fails_before_anything_runs(string revoked, string named)
    {
        // Through the pooler the lock is the transaction-scoped one (MigrationLockLease): denying it alone is enough.
        var connectionString = await TestServer.CreateDatabaseAsync();
        var role = "cm_pooled_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(connectionString, $"""
            CREATE ROLE {role} LOGIN;
            GRANT CREATE ON SCHEMA public TO {role};
            {string.Concat(revoked.Split(", ").Select(f => $"REVOKE EXECUTE ON FUNCTION {f} FROM PUBLIC;"))}
            """);
        try
        {
            await using var bouncer = await CodeMigrations.Testing.PgBouncerProcess.StartAsync(TestServer.Server, roles: [role]);
            var pooled = bouncer.Through(new NpgsqlConnectionStringBuilder(connectionString) { Username = role }.ConnectionString);
            Assert.That(await ScalarAsync<string>(pooled, "SELECT current_user"), Is.EqualTo(role), "the pooler admits the role, as itself");
            await using var runner = TestRunner.For(pooled, typeof(ConcurrencyTests.Counted));

            var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => runner.Runner.UpAsync()))!;

            Assert.That(error.Message, Does.StartWith($"The migration lock needs PostgreSQL's advisory locks, and this server does not offer them to this user: 42501: permission denied for function {named}"), bouncer.Log);
            Assert.That(error.Message, Does.Contain("Server: PostgreSQL 15"));
            Assert.That(error.Message, Does.Contain($"GRANT EXECUTE ON FUNCTION {named}(bigint) TO <role>"));
            Assert.That(await ScalarAsync<bool>(connectionString, "SELECT to_regclass('public.runs') IS NULL"), Is.True, "no migration ran");
        }
        finally
        {
            await ExecuteAsync(connectionString, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Test]
    public async Task A_run_on_CockroachDB_whose_advisory_lock_answers_true_and_locks_nothing_fails_before_anything_runs()
    {
        // pg_catalog named in the search path is searched where it is named: these functions shadow the real ones, as
        // CockroachDB's version() and its stub of pg_try_advisory_lock (true for every caller) would answer.
        var connectionString = await TestServer.CreateDatabaseAsync();
        await ExecuteAsync(connectionString, """
            CREATE SCHEMA crdb;
            CREATE FUNCTION crdb.version() RETURNS text LANGUAGE sql AS $$SELECT 'CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27 01:53:43, go1.19.10)'$$;
            CREATE FUNCTION crdb.pg_try_advisory_lock(bigint) RETURNS boolean LANGUAGE sql AS $$SELECT true$$;
            """);
        var asCockroach = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = "crdb, pg_catalog, public" }.ConnectionString;
        await using var runner = TestRunner.For(asCockroach, typeof(ConcurrencyTests.Counted));

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => runner.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.StartWith("The migration lock needs PostgreSQL's advisory locks, and this server's are stubs that lock nothing"));
        Assert.That(error.Message, Does.Contain("Server: CockroachDB CCL v23.1.11"));
        Assert.That(await ScalarAsync<bool>(connectionString, "SELECT to_regclass('public.runs') IS NULL AND to_regclass('public.migration_history') IS NULL"),
            Is.True, "nothing ran");
    }

    [TestCase("CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, built 2023/09/27 01:53:43, go1.19.10)", "CockroachDB")]
    [TestCase("PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, compiled by clang version 15.0.3", "YugabyteDB")]
    [TestCase("PostgreSQL 15.4 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 9.5.0, 64-bit", "PostgreSQL")]
    [TestCase(null, "PostgreSQL")]
    public void The_engine_is_told_by_its_version_string(string? version, string engine) =>
        Assert.That(AdvisoryLockProbe.Engine(version), Is.EqualTo(engine));

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}
