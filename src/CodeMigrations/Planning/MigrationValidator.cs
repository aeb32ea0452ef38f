using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;

namespace CodeMigrations.Planning;

/// <summary>
/// The rules that compare the history with the code (applied migrations whose Up changed, pending ones older than the
/// newest applied, unresolved marks, applied versions without a class) and the refusals that follow from them. Pure:
/// it is handed the catalog, the history and the described Ups, and unit-tested without a database.
/// </summary>
internal static class MigrationValidator
{
    /// <summary>Checks the run's configuration before anything touches the database.</summary>
    /// <exception cref="MigrationException">A timeout is not an interval PostgreSQL understands.</exception>
    public static void ThrowIfInvalid(CodeMigrationsOptions options)
    {
        if (options.DdlLockRetries < 0)
            throw new MigrationException($"CodeMigrationsOptions.DdlLockRetries is {options.DdlLockRetries}: give 0 or more.");
        foreach (var (name, value) in new[] { ("DdlLockTimeout", options.DdlLockTimeout), ("StatementTimeout", options.StatementTimeout) })
        {
            if (!MigrationTimeouts.IsValidInterval(value))
                throw new MigrationException($"CodeMigrationsOptions.{name} is \"{value}\": {MigrationTimeouts.IntervalRule}.");
        }
    }

    /// <summary>
    /// Refuses an <c>up</c> the history and the code disagree on: pending migrations in <paramref name="plan"/> older than the
    /// newest applied one (unless <paramref name="allowOutOfOrder"/>), and, when <paramref name="descriptions"/> are
    /// given, applied migrations whose Up changed or can no longer be described.
    /// </summary>
    /// <exception cref="MigrationValidationException">Anything was found: it lists every finding, and nothing may run.</exception>
    public static void ThrowIfUnsafeToApply(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history, IReadOnlyList<MigrationInfo> plan,
        IReadOnlyDictionary<long, UpDescription>? descriptions, bool allowOutOfOrder)
    {
        var findings = new List<MigrationValidationFinding>();
        if (!allowOutOfOrder)
            findings.AddRange(OutOfOrder(plan, history));
        if (descriptions is not null)
            findings.AddRange(CompareChecksums(catalog, history, descriptions));
        if (findings.Count > 0)
        {
            throw new MigrationValidationException(findings,
                $"Nothing was applied: the history and the code disagree ({findings.Count} finding{(findings.Count > 1 ? "s" : "")}):{Environment.NewLine}" +
                string.Join(Environment.NewLine, findings.Select(f => "  - " + f.Message)));
        }
    }

    /// <summary>What <c>validate</c> reports: every disagreement between the history and the code, by version.</summary>
    public static List<MigrationValidationFinding> Validate(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history,
        IReadOnlyDictionary<long, UpDescription> descriptions)
    {
        var findings = new List<MigrationValidationFinding>();
        foreach (var row in history.Where(r => r.IsIncomplete))
        {
            findings.Add(new MigrationValidationFinding(row.Version, row.ClassName ?? row.Name, MigrationValidationProblem.FailedMark,
                $"{row.Version} {catalog.Find(row.Version)?.TypeName ?? row.ClassName ?? row.Name} runs without a transaction and {(row.Error is null ? "was interrupted" : $"failed ({row.Error})")} while " +
                $"{(row.State == HistoryState.UpIncomplete ? "applying" : "reverting")}: complete or undo it by hand, then run 'resolve {row.Version} --applied' or '--not-applied'."));
        }

        foreach (var row in history.Where(r => !catalog.Contains(r.Version)))
        {
            findings.Add(new MigrationValidationFinding(row.Version, row.ClassName ?? row.Name, MigrationValidationProblem.MissingClass,
                $"{row.Version} {row.ClassName ?? row.Name} is applied but no class in the loaded assemblies has this version: restore the class (or load its assembly), or it can never be reverted."));
        }

        var applied = history.Select(r => r.Version).ToHashSet();
        findings.AddRange(OutOfOrder(catalog.Migrations.Where(m => !applied.Contains(m.Version)).ToList(), history));
        findings.AddRange(CompareChecksums(catalog, history, descriptions));
        findings.Sort((a, b) => a.Version.CompareTo(b.Version));
        return findings;
    }

    /// <summary>What <c>accept-checksums</c> stores: each applied row whose checksum differs from its code's, or was never recorded.</summary>
    public static List<(long Version, string Checksum)> ChecksumsToAccept(IReadOnlyList<HistoryRow> history, IReadOnlyDictionary<long, UpDescription> descriptions) =>
        history
            .Where(r => descriptions.TryGetValue(r.Version, out var d) && d.Prepared is { } p && p.Checksum != r.Checksum)
            .Select(r => (r.Version, descriptions[r.Version].Prepared!.Checksum))
            .ToList();

    /// <summary>Refuses to resolve a version that carries no failed mark.</summary>
    /// <exception cref="MigrationException">It carries none.</exception>
    public static void ThrowIfNothingToResolve(IReadOnlyList<HistoryRow> history, long version)
    {
        var row = history.FirstOrDefault(r => r.Version == version);
        if (row is null || !row.IsIncomplete)
        {
            throw new MigrationException(
                $"Version {version} has no failed mark to resolve: it is {(row is null ? "not in the history" : "applied")}. " +
                "Only a migration without a transaction that failed or was interrupted needs resolving; 'status' shows them.");
        }
    }

    private static IEnumerable<MigrationValidationFinding> OutOfOrder(IReadOnlyList<MigrationInfo> pending, IReadOnlyList<HistoryRow> history) =>
        MigrationPlanner.FindOutOfOrder(pending, history).Select(m => new MigrationValidationFinding(m.Version, m.TypeFullName, MigrationValidationProblem.OutOfOrder,
            $"Pending migration {m} is older than the newest applied one ({history.Max(r => r.Version)}): it would run out of order " +
            "(typically a branch merged after newer migrations were deployed). Check that it does not depend on or conflict with the newer ones, " +
            "then apply it with --allow-out-of-order, or give it a newer version."));

    private static IEnumerable<MigrationValidationFinding> CompareChecksums(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history,
        IReadOnlyDictionary<long, UpDescription> descriptions)
    {
        foreach (var row in history)
        {
            // Rows without a checksum (baselines of undescribable classes, older rows) cannot be compared: they pass.
            if (row.Checksum is null || row.IsIncomplete || catalog.Find(row.Version) is not { } migration || !descriptions.TryGetValue(row.Version, out var described))
                continue;
            if (described.Error is { } error)
            {
                yield return new MigrationValidationFinding(row.Version, migration.TypeFullName, MigrationValidationProblem.Unreadable,
                    $"Applied migration {migration} can no longer be checked: {error.Message}");
            }
            else if (described.Prepared!.Checksum != row.Checksum)
            {
                yield return new MigrationValidationFinding(row.Version, migration.TypeFullName, MigrationValidationProblem.ChecksumMismatch,
                    $"Applied migration {migration} has changed since it was applied (checksum {Abbreviated(row.Checksum)} recorded, {Abbreviated(described.Prepared.Checksum)} now): " +
                    "the database does not have what the code now says. Restore the original Up and put the change in a new migration; " +
                    "if the edit is harmless (formatting, comments), accept it with 'accept-checksums'.");
            }
        }
    }

    // A recorded checksum is whatever the history row holds: one edited by hand may be shorter than the abbreviation.
    private static string Abbreviated(string checksum) => checksum.Length > 12 ? $"{checksum[..12]}…" : $"'{checksum}'";
}
