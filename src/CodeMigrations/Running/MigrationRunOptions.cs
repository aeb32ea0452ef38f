namespace CodeMigrations;

/// <summary>How an up or down run behaves beyond its target.</summary>
public sealed record MigrationRunOptions
{
    /// <summary>Up: the last version to apply. Down: revert everything above it (0 reverts all).</summary>
    public long? Target { get; init; }

    /// <summary>Down only: how many of the newest applied migrations to revert.</summary>
    public int? Steps { get; init; }

    /// <summary>
    /// Run the planned migrations for real inside one transaction and roll it back at the end: proves they apply now,
    /// and how long each takes, without changing anything. A migration without a transaction cannot be dry-run: the run
    /// stops before it and reports it and the ones after it as skipped.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary>Up only: apply pending migrations older than the newest applied one instead of refusing.</summary>
    public bool AllowOutOfOrder { get; init; }
}

/// <summary>What <c>script</c> renders.</summary>
public sealed record MigrationScriptOptions
{
    /// <summary>Up: the last version; down: revert above it (0 for all). Null: everything pending (up), the newest one (down).</summary>
    public long? Target { get; init; }

    /// <summary>Guard each migration with a check on the history table (psql <c>\if</c>), so the script is safe to run twice.</summary>
    public bool Idempotent { get; init; }

    /// <summary>
    /// Script what the history says is still to do (the default), or, when <see langword="false"/>, every migration up to
    /// the target as if the database were empty (for a new database).
    /// </summary>
    public bool FromHistory { get; init; } = true;
}

/// <summary>A rendered SQL script.</summary>
/// <param name="Sql">The script, for psql (<c>psql -v ON_ERROR_STOP=1 -f script.sql</c>).</param>
/// <param name="Migrations">The migrations it covers, in order.</param>
/// <param name="UnscriptableSteps">Steps the script could only mention in a comment (code steps, SQL with parameters); empty when complete.</param>
public sealed record MigrationScript(string Sql, IReadOnlyList<MigrationInfo> Migrations, IReadOnlyList<string> UnscriptableSteps);

/// <summary>What <see cref="IMigrationRunner.RedoAsync"/> did.</summary>
/// <param name="Reverted">The down part.</param>
/// <param name="Applied">The up part.</param>
public sealed record MigrationRedoResult(MigrationRunResult Reverted, MigrationRunResult Applied);

/// <summary>What <c>validate</c> can find.</summary>
public enum MigrationValidationProblem
{
    /// <summary>An applied migration's Up steps changed since it was applied.</summary>
    ChecksumMismatch,

    /// <summary>An applied version has no class in the loaded assemblies.</summary>
    MissingClass,

    /// <summary>A pending migration is older than the newest applied one.</summary>
    OutOfOrder,

    /// <summary>A migration without a transaction failed or was interrupted and is not resolved.</summary>
    FailedMark,

    /// <summary>An applied migration's class can no longer be created or described.</summary>
    Unreadable,
}

/// <summary>One finding of <c>validate</c>.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The class (or recorded) name.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Message">A sentence naming the migration, the problem and what to do.</param>
public sealed record MigrationValidationFinding(long Version, string Name, MigrationValidationProblem Problem, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
