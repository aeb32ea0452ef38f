using System.Text.RegularExpressions;

namespace CodeMigrations.Execution;

/// <summary>
/// The <c>lock_timeout</c> and <c>statement_timeout</c> a migration runs with: its attribute's, else the run's options'.
/// Applied with <c>SET LOCAL</c> inside the migration's transaction (plain <c>SET</c>, then <c>RESET</c>, without one).
/// </summary>
/// <param name="DdlLockTimeout">The <c>lock_timeout</c>, as a PostgreSQL interval.</param>
/// <param name="StatementTimeout">The <c>statement_timeout</c>, as a PostgreSQL interval.</param>
public sealed partial record MigrationTimeouts(string DdlLockTimeout, string StatementTimeout)
{
    /// <summary>The timeouts <paramref name="migration"/> runs with: its attribute's, else <paramref name="options"/>'.</summary>
    /// <param name="migration">The migration.</param>
    /// <param name="options">The run's configuration.</param>
    /// <returns>The timeouts to set.</returns>
    public static MigrationTimeouts For(MigrationInfo migration, CodeMigrationsOptions options) =>
        new(migration.DdlLockTimeout ?? options.DdlLockTimeout, migration.StatementTimeout ?? options.StatementTimeout);

    /// <summary>A number with an optional unit PostgreSQL accepts for a time setting: <c>500ms</c>, <c>5s</c>, <c>10min</c>, <c>1h</c>, <c>0</c>.</summary>
    /// <param name="value">The text to check.</param>
    /// <returns><see langword="true"/> when it is such an interval.</returns>
    public static bool IsValidInterval(string value) => Interval().IsMatch(value);

    /// <summary>The statements that set the timeouts: <c>SET LOCAL</c> inside a transaction, session-wide otherwise.</summary>
    /// <param name="local">Whether the statements run inside a transaction.</param>
    /// <returns>Two <c>SET</c> statements.</returns>
    public IEnumerable<string> SetStatements(bool local)
    {
        var scope = local ? "SET LOCAL" : "SET";
        yield return $"{scope} lock_timeout = '{DdlLockTimeout}'";
        yield return $"{scope} statement_timeout = '{StatementTimeout}'";
    }

    /// <summary>The statements that put both timeouts back to the session's defaults after a migration without a transaction.</summary>
    /// <returns>Two <c>RESET</c> statements.</returns>
    public static IEnumerable<string> ResetStatements() => ["RESET lock_timeout", "RESET statement_timeout"];

    // Validated, so pasting the value into SET is safe: digits and a unit only.
    [GeneratedRegex(@"^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Interval();
}
