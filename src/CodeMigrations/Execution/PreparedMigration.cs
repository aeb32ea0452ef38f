using CodeMigrations.Sql;

namespace CodeMigrations.Execution;

/// <summary>A migration created and described for one direction, checked and ready to run.</summary>
public sealed class PreparedMigration
{
    private readonly Lazy<string> _checksum;

    // The direction (plus one) the steps were found runnable for; 0 until checked.
    private int _runnableAs;

    private PreparedMigration(MigrationInfo info, IReadOnlyList<MigrationStep> steps, Lazy<string> checksum)
    {
        Info = info;
        Steps = steps;
        _checksum = checksum;
    }

    /// <summary>The migration this was prepared from.</summary>
    public MigrationInfo Info { get; }

    /// <summary>The steps of the direction it was prepared for, in order.</summary>
    public IReadOnlyList<MigrationStep> Steps { get; }

    /// <summary>The checksum of the Up steps (recorded in history when applying).</summary>
    /// <remarks>
    /// Prepared for Down, the Up steps are described only when this is read: reverting needs only Down, and describing
    /// every Up of a long revert cost a compiled method and a hash per migration.
    /// </remarks>
    /// <exception cref="InvalidMigrationException">Prepared for Down, and Up threw when described now.</exception>
    public string Checksum => _checksum.Value;

    /// <summary>
    /// Describes <paramref name="migration"/> for <paramref name="direction"/> and checks that it can run as declared.
    /// </summary>
    /// <exception cref="InvalidMigrationException">Up/Down threw, or a transactional migration holds a statement PostgreSQL refuses in a transaction.</exception>
    public static PreparedMigration Prepare(MigrationInfo info, Migration migration, MigrationDirection direction) =>
        DescribeOnly(info, migration, direction).ThrowIfNotRunnable(direction);

    /// <summary>
    /// Describes <paramref name="migration"/> for <paramref name="direction"/> and computes its checksum, without checking
    /// that it can run: enough to compare an applied migration with its history row.
    /// </summary>
    /// <exception cref="InvalidMigrationException">Up/Down threw.</exception>
    public static PreparedMigration DescribeOnly(MigrationInfo info, Migration migration, MigrationDirection direction)
    {
        var steps = Describe(info, migration, direction);
        var checksum = direction == MigrationDirection.Up
            ? new Lazy<string>(MigrationChecksum.Compute(steps))
            : new Lazy<string>(() => MigrationChecksum.Compute(Describe(info, migration, MigrationDirection.Up)));
        return new PreparedMigration(info, steps, checksum);
    }

    /// <summary>The same description for <paramref name="info"/>, a catalog entry of the same class (from another catalog).</summary>
    internal PreparedMigration For(MigrationInfo info) =>
        ReferenceEquals(info, Info) ? this : new PreparedMigration(info, Steps, _checksum) { _runnableAs = _runnableAs };

    /// <summary>Checks that the steps can run as declared: a transactional migration holds no statement PostgreSQL refuses in a transaction.</summary>
    /// <exception cref="InvalidMigrationException">It holds one.</exception>
    public PreparedMigration ThrowIfNotRunnable(MigrationDirection direction)
    {
        // The steps never change: once found runnable, a description shared by many runs is not lexed again.
        if (!Info.UseTransaction || Volatile.Read(ref _runnableAs) == (int)direction + 1)
            return this;
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i] is SqlStep sql && SqlScript.FindNonTransactional(sql.Sql) is { } refused)
            {
                var info = Info;
                throw new InvalidMigrationException(info,
                    $"Migration {info} cannot run in a transaction: its {(direction == MigrationDirection.Up ? "Up" : "Down")} step {i + 1} " +
                    $"holds {refused.Command} (line {refused.Statement.Line}: {Abbreviate(refused.Statement.Text)}), which PostgreSQL refuses inside a transaction block. " +
                    $"Nothing was run. Mark the migration [Migration({info.Version}, UseTransaction = false)] so that each statement runs on its own, " +
                    "and keep such a migration to the statements that need it.");
            }
        }

        Volatile.Write(ref _runnableAs, (int)direction + 1);
        return this;
    }

    private static IReadOnlyList<MigrationStep> Describe(MigrationInfo info, Migration migration, MigrationDirection direction)
    {
        try
        {
            return migration.DescribeSteps(direction);
        }
        catch (MigrationScriptException e)
        {
            throw new InvalidMigrationException(info, $"Migration {info}: {e.Message} Nothing was run.", e);
        }
        catch (Exception e)
        {
            throw new InvalidMigrationException(info,
                $"Migration {info} threw while describing its {(direction == MigrationDirection.Up ? "Up" : "Down")} steps: {e.GetType().Name}: {e.Message} " +
                "Up() and Down() only describe steps; work that needs the database belongs in a code step (Execute(async context => ...)). Nothing was run.", e);
        }
    }

    /// <summary>SQL on one line, whitespace collapsed, cut to <paramref name="maxLength"/> characters with "...".</summary>
    internal static string Abbreviate(string sql, int maxLength = 100)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= maxLength ? oneLine : oneLine[..(maxLength - 3)] + "...";
    }
}
