using Npgsql;

namespace CodeMigrations.History;

/// <summary>
/// Tells a server without advisory locks apart from other failures, and says which engine it is and what to do.
/// PostgreSQL and Aurora PostgreSQL have them; CockroachDB and older YugabyteDB do not, and a role can be denied them
/// (<c>REVOKE EXECUTE ON FUNCTION pg_try_advisory_lock(bigint) FROM PUBLIC</c>). Without the lock, two runs at once could
/// apply a migration twice, so CodeMigrations refuses to run rather than run unlocked.
/// </summary>
internal static class AdvisoryLockProbe
{
    /// <summary>Whether <paramref name="error"/> says the advisory lock functions are missing, unsupported or denied.</summary>
    public static bool IsMissing(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.FeatureNotSupported or PostgresErrorCodes.InsufficientPrivilege
        && error.MessageText.Contains("advisory", StringComparison.OrdinalIgnoreCase);

    /// <summary>The error to report: the server's own, the engine's <c>version()</c>, and how to get on.</summary>
    public static async Task<MigrationDatabaseException> DescribeAsync(NpgsqlConnection connection, PostgresException error, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, cancellationToken);
        var engine = Engine(version);
        var advice = engine switch
        {
            "CockroachDB" => "CockroachDB has no session advisory locks: CodeMigrations cannot make concurrent runs safe there.",
            "YugabyteDB" => "YugabyteDB has advisory locks from version 2.25 on, when enabled (ysql_yb_enable_advisory_locks): upgrade or enable them.",
            _ => $"Grant the function to the migrating role (GRANT EXECUTE ON FUNCTION {FunctionOf(error)} TO <role>), or migrate as a role that has it.",
        };
        return new MigrationDatabaseException(
            $"The migration lock needs PostgreSQL's advisory locks, and this server does not offer them to this user: {Execution.MigrationExecutor.DescribeError(error)}. " +
            $"Server: {version ?? "unknown (version() failed too)"}. {advice} CodeMigrations does not run without the lock: two runs at once could apply a migration twice.",
            error);
    }

    /// <summary>
    /// The error for an engine whose advisory lock functions exist but lock nothing (CockroachDB's answer true to every
    /// caller): running on them would let two runs apply a migration twice.
    /// </summary>
    public static async Task<MigrationDatabaseException> DescribeStubAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, cancellationToken);
        return new MigrationDatabaseException(
            $"The migration lock needs PostgreSQL's advisory locks, and this server's are stubs that lock nothing (CockroachDB's pg_try_advisory_lock " +
            $"answers true to every caller). Server: {version ?? "unknown"}. CodeMigrations does not run without a real lock: two runs at once " +
            "could apply a migration twice. Migrate a CockroachDB database with a tool made for it, or run against PostgreSQL.");
    }

    /// <summary>The engine behind a <c>version()</c> string: CockroachDB, YugabyteDB, or PostgreSQL (Aurora and Citus included).</summary>
    public static string Engine(string? version) =>
        version is null ? "PostgreSQL"
        : version.Contains("CockroachDB", StringComparison.OrdinalIgnoreCase) ? "CockroachDB"
        : version.Contains("-YB-", StringComparison.Ordinal) || version.Contains("YugabyteDB", StringComparison.OrdinalIgnoreCase) ? "YugabyteDB"
        : "PostgreSQL";

    private static string FunctionOf(PostgresException error) =>
        error.MessageText.Contains("xact", StringComparison.Ordinal) ? "pg_try_advisory_xact_lock(bigint)" : "pg_try_advisory_lock(bigint)";

    private static async Task<string?> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
