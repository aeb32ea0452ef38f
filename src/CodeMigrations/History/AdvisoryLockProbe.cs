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
            "CockroachDB" => "CockroachDB has no advisory locks: run one migration process at a time (for example a single deploy job), " +
                "with a connection to PostgreSQL elsewhere for the rest.",
            "YugabyteDB" => "YugabyteDB has advisory locks from version 2.25 on, when enabled (ysql_yb_enable_advisory_locks): upgrade or enable them.",
            _ => $"Grant the function to the migrating role (GRANT EXECUTE ON FUNCTION {FunctionOf(error)} TO <role>), or migrate as a role that has it.",
        };
        return new MigrationDatabaseException(
            $"The migration lock needs PostgreSQL's advisory locks, and this server does not offer them to this user: {Execution.MigrationExecutor.DescribeError(error)}. " +
            $"Server: {version ?? "unknown (version() failed too)"}. {advice} CodeMigrations does not run without the lock: two runs at once could apply a migration twice.",
            error);
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
