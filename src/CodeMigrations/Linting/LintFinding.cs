namespace CodeMigrations.Linting;

/// <summary>A statement of a migration that breaks a <see cref="LintRule"/>.</summary>
public sealed class LintFinding
{
    internal LintFinding(long version, string className, LintRule rule, int step, string statement, string message, string? suppressedBecause)
    {
        Version = version;
        ClassName = className;
        Rule = rule;
        Step = step;
        Statement = statement;
        Message = message;
        SuppressedBecause = suppressedBecause;
    }

    /// <summary>The migration's version.</summary>
    public long Version { get; }

    /// <summary>The migration's class name.</summary>
    public string ClassName { get; }

    /// <summary>The rule broken.</summary>
    public LintRule Rule { get; }

    /// <summary>The 1-based number of the Up step that holds the statement.</summary>
    public int Step { get; }

    /// <summary>The statement as written (without its <c>;</c>).</summary>
    public string Statement { get; }

    /// <summary>What the statement does to the live table, and the safe way to do it.</summary>
    public string Message { get; }

    /// <summary>The reason given by the migration's <see cref="AllowUnsafeAttribute"/> for this rule; null when not suppressed.</summary>
    public string? SuppressedBecause { get; }

    /// <summary>Whether the migration suppresses the rule with <see cref="AllowUnsafeAttribute"/>.</summary>
    public bool Suppressed => SuppressedBecause is not null;

    /// <summary>"20240101120000 AddEmailIndex: create-index-non-concurrently: ...": the finding on one line.</summary>
    public override string ToString() => $"{Version} {ClassName}: {Rule.Id}: {Message}";
}

/// <summary>What <see cref="MigrationLinter.Lint"/> found.</summary>
public sealed class LintReport
{
    internal LintReport(IReadOnlyList<LintFinding> findings, IReadOnlyList<LintSkippedStep> skippedSteps, IReadOnlyList<string> problems)
    {
        Findings = findings;
        SkippedSteps = skippedSteps;
        Problems = problems;
    }

    /// <summary>Every finding, suppressed ones included, in migration and statement order.</summary>
    public IReadOnlyList<LintFinding> Findings { get; }

    /// <summary>The code steps, which lint cannot read.</summary>
    public IReadOnlyList<LintSkippedStep> SkippedSteps { get; }

    /// <summary>Suppressions that name no rule, each as a message naming the migration.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>A code step lint skipped.</summary>
public sealed class LintSkippedStep
{
    internal LintSkippedStep(long version, string className, int step)
    {
        Version = version;
        ClassName = className;
        Step = step;
    }

    /// <summary>The migration's version.</summary>
    public long Version { get; }

    /// <summary>The migration's class name.</summary>
    public string ClassName { get; }

    /// <summary>The 1-based number of the step.</summary>
    public int Step { get; }
}
