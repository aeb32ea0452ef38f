using CodeMigrations.History;
using CodeMigrations.Loading;

namespace CodeMigrations.Running;

/// <summary>Merges the known migrations with the history rows into status lines, oldest first.</summary>
internal static class MigrationStatusReport
{
    public static IReadOnlyList<MigrationStatus> Build(MigrationCatalog catalog, IReadOnlyList<HistoryRow> rows)
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
        return lines;
    }

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
