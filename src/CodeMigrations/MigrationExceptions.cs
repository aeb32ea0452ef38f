namespace CodeMigrations;

/// <summary>The base of every error CodeMigrations raises; its message says what went wrong and what to do.</summary>
public class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The migration classes do not form a valid set (duplicate versions, a version &lt;= 0, a missing or misplaced
/// attribute, a class that cannot be constructed). Raised before the database is touched.
/// </summary>
public sealed class InvalidMigrationSetException : MigrationException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public InvalidMigrationSetException(IReadOnlyList<string> problems)
        : base(BuildMessage(problems)) => Problems = problems;

    /// <summary>Every problem found, one sentence each, naming the classes involved.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(IReadOnlyList<string> problems) => problems.Count == 1
        ? $"The migration set is invalid: {problems[0]}"
        : $"The migration set is invalid ({problems.Count} problems):{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}

/// <summary>
/// A migration cannot run as written (for example a statement PostgreSQL refuses inside a transaction, in a migration
/// that runs in one). Raised before anything runs.
/// </summary>
public sealed class InvalidMigrationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public InvalidMigrationException(MigrationInfo migration, string message, Exception? innerException = null)
        : base(message, innerException) => Migration = migration;

    /// <summary>The migration at fault.</summary>
    public MigrationInfo Migration { get; }
}

/// <summary>An up or down target names no known migration.</summary>
public sealed class UnknownMigrationTargetException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public UnknownMigrationTargetException(long target, string message)
        : base(message) => Target = target;

    /// <summary>The target that was asked for.</summary>
    public long Target { get; }
}

/// <summary>A migration failed while running; it was rolled back (or, without a transaction, marked as failed).</summary>
public sealed class MigrationFailedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migration">The migration that failed.</param>
    /// <param name="direction">Whether it failed applying or reverting.</param>
    /// <param name="message">What happened and what to do, for a person.</param>
    /// <param name="innerException">The error itself: PostgreSQL's (see <see cref="PostgresError"/>), or a code step's.</param>
    /// <param name="failedStep">Where in the migration it failed; <see langword="null"/> when it failed outside its steps.</param>
    public MigrationFailedException(MigrationInfo migration, MigrationDirection direction, string message, Exception innerException,
        MigrationStepFailure? failedStep = null)
        : base(message, innerException)
    {
        Migration = migration;
        Direction = direction;
        FailedStep = failedStep;
    }

    /// <summary>The migration that failed.</summary>
    public MigrationInfo Migration { get; }

    /// <summary>Whether it failed applying or reverting.</summary>
    public MigrationDirection Direction { get; }

    /// <summary>
    /// The step that failed and, for SQL, the statement and the line PostgreSQL pointed at; <see langword="null"/> when
    /// the migration failed outside its steps (starting its transaction, recording its history row, its COMMIT).
    /// </summary>
    public MigrationStepFailure? FailedStep { get; }

    /// <summary>The error PostgreSQL reported (SQLSTATE, message, position, detail, hint), when PostgreSQL reported the failure.</summary>
    public Npgsql.PostgresException? PostgresError => InnerException as Npgsql.PostgresException;

    /// <summary>The PostgreSQL error code (SQLSTATE), when PostgreSQL reported the failure.</summary>
    public string? SqlState => PostgresError?.SqlState;
}

/// <summary>Where in a migration a <see cref="MigrationFailedException"/> happened.</summary>
/// <param name="Number">The step's number among the steps of the direction that ran, from 1.</param>
/// <param name="Count">How many steps that direction has.</param>
/// <param name="Step">The step.</param>
/// <param name="Statement">
/// The statement of a SQL step that failed, with its place in the step's text; <see langword="null"/> for a code step,
/// or for a SQL step sent whole (one with Dapper parameters, in a transaction).
/// </param>
/// <param name="Line">
/// The line of the step's text PostgreSQL's error points at; <see langword="null"/> when the statement is not known or
/// PostgreSQL gave no position.
/// </param>
public sealed record MigrationStepFailure(int Number, int Count, MigrationStep Step, Sql.SqlStatement? Statement, int? Line)
{
    /// <summary>"step 2 of 3 (SQL: DROP TABLE books), line 4 of the step": how messages place the failure.</summary>
    /// <returns>One line.</returns>
    public override string ToString() => $"step {Number} of {Count} ({Step.Describe()})" + (Line is { } line ? $", line {line} of the step" : "");
}

/// <summary>
/// A migration that runs without a transaction failed or was interrupted earlier; its effects may be partly applied,
/// so every up and down is refused until the user resolves it.
/// </summary>
public sealed class MigrationBlockedException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationBlockedException(IReadOnlyList<long> versions, string message)
        : base(message) => Versions = versions;

    /// <summary>The versions that carry a failed mark.</summary>
    public IReadOnlyList<long> Versions { get; }
}

/// <summary>Down would revert applied versions whose classes are no longer in the assemblies. Nothing was reverted.</summary>
public sealed class MissingMigrationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MissingMigrationException(IReadOnlyList<long> versions, string message)
        : base(message) => Versions = versions;

    /// <summary>The applied versions without a class.</summary>
    public IReadOnlyList<long> Versions { get; }
}

/// <summary>Another runner held the migration lock for longer than the configured lock timeout.</summary>
public sealed class MigrationLockTimeoutException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationLockTimeoutException(string message)
        : base(message)
    {
    }
}

/// <summary>The database could not be reached or used (connection refused, authentication, permissions).</summary>
public sealed class MigrationDatabaseException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationDatabaseException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A SQL file a migration reads (<c>ExecuteScript</c>) is missing, ambiguous, or lacks the section asked for.</summary>
public sealed class MigrationScriptException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationScriptException(string message)
        : base(message)
    {
    }
}

/// <summary>A down would cross a migration declared <see cref="IrreversibleAttribute"/>. Nothing was reverted.</summary>
public sealed class IrreversibleMigrationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public IrreversibleMigrationException(IReadOnlyList<MigrationInfo> migrations, string message)
        : base(message) => Migrations = migrations;

    /// <summary>The irreversible migrations the down would have crossed.</summary>
    public IReadOnlyList<MigrationInfo> Migrations { get; }
}

/// <summary>
/// <c>up</c> found a disagreement between the history and the code that makes applying unsafe: an applied migration
/// whose steps changed since (checksum mismatch), or pending migrations older than the newest applied one. Nothing ran.
/// </summary>
public sealed class MigrationValidationException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationValidationException(IReadOnlyList<MigrationValidationFinding> findings, string message)
        : base(message) => Findings = findings;

    /// <summary>What was found.</summary>
    public IReadOnlyList<MigrationValidationFinding> Findings { get; }
}
