namespace CodeMigrations.Linting;

/// <summary>
/// Reads migrations' SQL, without a database, and reports the statements that would hurt a live table (see
/// <see cref="LintRules"/>). Operations on a table created in the same migration are never flagged: it holds no data
/// and no running code uses it yet.
/// </summary>
/// <remarks>
/// Migrations are read in the order given (version order), because what one migration did decides about a later one:
/// a <c>CHECK (col IS NOT NULL)</c> validated earlier makes <c>SET NOT NULL</c> safe, and a column's declared type tells
/// whether a type change rewrites the table. Only SQL steps are read; code steps are listed as skipped.
/// </remarks>
public static class MigrationLinter
{
    /// <summary>Lints the Up steps of <paramref name="migrations"/>, in the order given.</summary>
    /// <param name="migrations">The migrations, oldest first.</param>
    /// <returns>Every finding (suppressed ones marked with their reason), the skipped code steps, and unknown suppressions.</returns>
    public static LintReport Lint(IEnumerable<MigrationLintInput> migrations)
    {
        if (migrations is null)
            throw new ArgumentNullException(nameof(migrations));
        var findings = new List<LintFinding>();
        var skipped = new List<LintSkippedStep>();
        var problems = new List<string>();
        var schema = new LintSchema();
        foreach (var migration in migrations)
        {
            foreach (var allowance in migration.Allowances)
            {
                if (LintRules.Find(allowance.Rule) is null)
                {
                    problems.Add($"Migration {migration.Version} {migration.ClassName}: [AllowUnsafe(\"{allowance.Rule}\", ...)] names no lint rule. " +
                        $"Use one of: {string.Join(", ", LintRules.All.Select(r => r.Id))}.");
                }
            }

            schema.BeginMigration();
            for (var step = 0; step < migration.Steps.Count; step++)
            {
                if (migration.Steps[step] is not { } sql)
                {
                    skipped.Add(new LintSkippedStep(migration.Version, migration.ClassName, step + 1));
                    continue;
                }

                foreach (var statement in LintStatements.Split(sql))
                {
                    var stepNumber = step + 1;
                    StatementRules.Check(statement, schema, (rule, subject) =>
                        findings.Add(new LintFinding(migration.Version, migration.ClassName, rule, stepNumber, statement.Text,
                            Describe(rule, subject), Suppression(migration, rule))));
                }
            }
        }

        return new LintReport(findings, skipped, problems);
    }

    /// <summary>
    /// Lints pieces of SQL of one migration, in order, as the analyzer does with the constant strings of an <c>Up()</c>:
    /// every table is taken to exist unless one of the pieces creates it.
    /// </summary>
    /// <param name="pieces">The SQL of each step.</param>
    /// <returns>Each statement that breaks a rule: the index of its piece, the rule, the statement and the message.</returns>
    internal static List<(int Piece, LintRule Rule, string Statement, string Message)> LintPieces(IReadOnlyList<string> pieces)
    {
        var found = new List<(int, LintRule, string, string)>();
        var schema = new LintSchema();
        schema.BeginMigration();
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = i;
            foreach (var statement in LintStatements.Split(pieces[i]))
                StatementRules.Check(statement, schema, (rule, subject) => found.Add((piece, rule, statement.Text, Describe(rule, subject))));
        }

        return found;
    }

    private static string Describe(LintRule rule, string subject) =>
        $"{rule.Title}{(subject.Length == 0 ? "" : $" ({subject})")} {rule.Effect}. Instead: {rule.SafeAlternative}.";

    private static string? Suppression(MigrationLintInput migration, LintRule rule)
    {
        foreach (var allowance in migration.Allowances)
        {
            if (string.Equals(allowance.Rule, rule.Id, StringComparison.Ordinal))
                return allowance.Reason;
        }

        return null;
    }
}
