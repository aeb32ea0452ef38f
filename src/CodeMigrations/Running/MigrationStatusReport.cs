using CodeMigrations.History;
using CodeMigrations.Loading;

namespace CodeMigrations.Running;

/// <summary>Merges the known migrations with the history rows into status lines, oldest first.</summary>
internal static class MigrationStatusReport
{
    /// <param name="catalog">The migrations the code knows.</param>
    /// <param name="rows">The history.</param>
    /// <param name="lockHolder">
    /// The run holding the migration lock, if any: a mark without an error is that run's migration in flight, not a
    /// failure. Without a holder, such a mark was left by a process that stopped.
    /// </param>
    public static IReadOnlyList<MigrationStatus> Build(MigrationCatalog catalog, IReadOnlyList<HistoryRow> rows, MigrationLockHolder? lockHolder = null)
    {
        var byVersion = rows.ToDictionary(r => r.Version);
        var lines = new List<MigrationStatus>(catalog.Migrations.Count + rows.Count);
        foreach (var migration in catalog.Migrations)
        {
            var row = byVersion.GetValueOrDefault(migration.Version);
            lines.Add(row is null
                ? new MigrationStatus(migration.Version, migration.Name, migration.TypeFullName, MigrationState.Pending, null, null, null, null, migration.IrreversibleReason)
                : FromRow(row, migration.Name, migration.TypeFullName, MigrationState.Applied) with { IrreversibleReason = migration.IrreversibleReason });
        }

        foreach (var row in rows.Where(r => !catalog.Contains(r.Version)))
            lines.Add(FromRow(row, row.Name, row.ClassName, MigrationState.Missing));

        lines.Sort((a, b) => a.Version.CompareTo(b.Version));
        return lockHolder is null ? lines : lines.Select(l => InFlight(l, lockHolder)).ToList();
    }

    private static MigrationStatus InFlight(MigrationStatus line, MigrationLockHolder holder) => line switch
    {
        { State: MigrationState.FailedUp, Error: null } => line with { State = MigrationState.RunningUp, RunningIn = holder },
        { State: MigrationState.FailedDown, Error: null } => line with { State = MigrationState.RunningDown, RunningIn = holder },
        _ => line,
    };

    /// <summary>Whether a line of the history can be a migration in flight, which only the lock's holder tells apart from an interrupted one.</summary>
    public static bool MayBeInFlight(IReadOnlyList<HistoryRow> rows) => rows.Any(r => r.IsIncomplete && r.Error is null);

    private static MigrationStatus FromRow(HistoryRow row, string name, string? className, MigrationState whenApplied)
    {
        var state = row.State switch
        {
            HistoryState.UpIncomplete => MigrationState.FailedUp,
            HistoryState.DownIncomplete => MigrationState.FailedDown,
            HistoryState.Baseline when whenApplied == MigrationState.Applied => MigrationState.Baseline,
            _ => whenApplied,
        };
        return new MigrationStatus(row.Version, name, className, state, row.AppliedAt, row.ExecutionTime, row.AppliedBy, row.Error);
    }
}
