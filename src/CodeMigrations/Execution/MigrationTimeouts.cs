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

    /// <summary>The longest <c>lock_timeout</c> or <c>statement_timeout</c> PostgreSQL accepts, in milliseconds (about 24.8 days).</summary>
    public const long MaxIntervalMilliseconds = int.MaxValue;

    /// <summary>What an interval must look like, for messages that refuse one.</summary>
    public const string IntervalRule =
        "use a number with a unit PostgreSQL understands, such as \"500ms\", \"5s\", \"10min\", or \"0\" for none, of at most 2147483647ms (about 24 days)";

    /// <summary>
    /// A number with an optional unit PostgreSQL accepts for a time setting: <c>500ms</c>, <c>5s</c>, <c>10min</c>, <c>1h</c>, <c>0</c>,
    /// no longer than <see cref="MaxIntervalMilliseconds"/> (PostgreSQL refuses a longer one only when the first migration sets it).
    /// </summary>
    /// <param name="value">The text to check.</param>
    /// <returns><see langword="true"/> when it is such an interval.</returns>
    public static bool IsValidInterval(string value)
    {
        var match = Interval().Match(value);
        if (!match.Success)
            return false;
        var number = double.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var milliseconds = match.Groups["unit"].Value switch
        {
            "us" => number / 1000,
            "s" => number * 1000,
            "min" => number * 60_000,
            "h" => number * 3_600_000,
            "d" => number * 86_400_000,
            _ => number, // ms, and PostgreSQL's default unit for these settings
        };
        return Math.Round(milliseconds) <= MaxIntervalMilliseconds;
    }

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
    [GeneratedRegex(@"^(?<number>\d{1,20}(\.\d{1,20})?)\s*(?<unit>us|ms|s|min|h|d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Interval();
}
