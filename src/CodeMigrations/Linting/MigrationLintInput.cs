namespace CodeMigrations.Linting;

/// <summary>What <see cref="MigrationLinter"/> reads of one migration: its name, its Up steps and its suppressions.</summary>
public sealed class MigrationLintInput
{
    /// <summary>A migration to lint.</summary>
    /// <param name="version">Its version.</param>
    /// <param name="className">Its class name, for messages.</param>
    /// <param name="steps">Its Up steps in order: the SQL of each SQL step, <see langword="null"/> for a code step (not linted).</param>
    /// <param name="allowances">Its <see cref="AllowUnsafeAttribute"/>s: the rules it suppresses, with why.</param>
    public MigrationLintInput(long version, string className, IReadOnlyList<string?> steps, IReadOnlyList<LintAllowance> allowances)
    {
        Version = version;
        ClassName = className ?? throw new ArgumentNullException(nameof(className));
        Steps = steps ?? throw new ArgumentNullException(nameof(steps));
        Allowances = allowances ?? throw new ArgumentNullException(nameof(allowances));
    }

    /// <summary>The migration's version.</summary>
    public long Version { get; }

    /// <summary>The migration's class name.</summary>
    public string ClassName { get; }

    /// <summary>The SQL of each Up step; <see langword="null"/> for a code step.</summary>
    public IReadOnlyList<string?> Steps { get; }

    /// <summary>The rules the migration suppresses, with the reasons.</summary>
    public IReadOnlyList<LintAllowance> Allowances { get; }
}

/// <summary>A rule a migration suppresses, and why: what <see cref="AllowUnsafeAttribute"/> declares.</summary>
public sealed class LintAllowance
{
    /// <summary>A suppression.</summary>
    /// <param name="rule">The rule id, e.g. <c>changing-column-type</c>.</param>
    /// <param name="reason">Why it is safe here: "the table has 10 rows".</param>
    public LintAllowance(string rule, string reason)
    {
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
        Reason = reason ?? throw new ArgumentNullException(nameof(reason));
    }

    /// <summary>The rule id.</summary>
    public string Rule { get; }

    /// <summary>Why the migration may break the rule.</summary>
    public string Reason { get; }
}
