using System.Text.RegularExpressions;

namespace CodeMigrations.Execution;

/// <summary>
/// The <c>lock_timeout</c> and <c>statement_timeout</c> a migration runs with: its attribute's, else the run's options'.
/// Applied with <c>SET LOCAL</c> inside the migration's transaction (plain <c>SET</c>, then <c>RESET</c>, without one).
/// </summary>
internal sealed partial record MigrationTimeouts(string DdlLockTimeout, string StatementTimeout)
{
    public static MigrationTimeouts For(MigrationInfo migration, CodeMigrationsOptions options) =>
        new(migration.DdlLockTimeout ?? options.DdlLockTimeout, migration.StatementTimeout ?? options.StatementTimeout);

    /// <summary>A number with an optional unit PostgreSQL accepts for a time setting: <c>500ms</c>, <c>5s</c>, <c>10min</c>, <c>1h</c>, <c>0</c>.</summary>
    public static bool IsValidInterval(string value) => Interval().IsMatch(value);

    /// <summary>The statements that set the timeouts: <c>SET LOCAL</c> inside a transaction, session-wide otherwise.</summary>
    public IEnumerable<string> SetStatements(bool local)
    {
        var scope = local ? "SET LOCAL" : "SET";
        yield return $"{scope} lock_timeout = '{DdlLockTimeout}'";
        yield return $"{scope} statement_timeout = '{StatementTimeout}'";
    }

    public static IEnumerable<string> ResetStatements() => ["RESET lock_timeout", "RESET statement_timeout"];

    // Validated, so pasting the value into SET is safe: digits and a unit only.
    [GeneratedRegex(@"^\d+(\.\d+)?\s*(us|ms|s|min|h|d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Interval();
}
