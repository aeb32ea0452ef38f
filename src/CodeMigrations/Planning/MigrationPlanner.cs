using CodeMigrations.History;
using CodeMigrations.Loading;

namespace CodeMigrations.Planning;

/// <summary>The migrations a run will carry out, in order, all in one direction.</summary>
internal sealed record MigrationPlan(MigrationDirection Direction, IReadOnlyList<MigrationInfo> Migrations);

/// <summary>
/// Turns the known migrations, the applied history and a target into an ordered plan. Pure: no database, no clock,
/// so every rule is unit-tested on its own.
/// </summary>
internal static class MigrationPlanner
{
    /// <summary>Checks a target before anything touches the database: it must name a known migration.</summary>
    public static void ValidateUpTarget(MigrationCatalog catalog, long? target)
    {
        if (target is { } version && !catalog.Contains(version))
            throw UnknownTarget(catalog, version, "up");
    }

    /// <summary>Pending migrations older than the newest applied one: they would run out of order.</summary>
    public static IReadOnlyList<MigrationInfo> FindOutOfOrder(IReadOnlyList<MigrationInfo> pending, IReadOnlyList<HistoryRow> history)
    {
        if (history.Count == 0)
            return [];
        var newestApplied = history.Max(r => r.Version);
        return pending.Where(m => m.Version < newestApplied).ToList();
    }

    /// <summary>Plans <c>up</c>: every pending migration up to and including <paramref name="target"/>, oldest first.</summary>
    public static MigrationPlan PlanUp(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history, long? target)
    {
        ValidateUpTarget(catalog, target);
        ThrowIfBlocked(catalog, history);
        var applied = history.Select(r => r.Version).ToHashSet();
        var pending = catalog.Migrations
            .Where(m => !applied.Contains(m.Version) && (target is null || m.Version <= target))
            .ToList();
        return new MigrationPlan(MigrationDirection.Up, pending);
    }

    /// <summary>
    /// Plans <c>down</c>: the applied migrations above <paramref name="target"/> (0 reverts all), or the newest
    /// <paramref name="steps"/>; one step when neither is given. Newest first.
    /// </summary>
    public static MigrationPlan PlanDown(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history, long? target, int? steps)
    {
        ValidateDownArguments(catalog, history, target, steps);
        ThrowIfBlocked(catalog, history);

        var appliedNewestFirst = history.OrderByDescending(r => r.Version);
        var toRevert = target is { } t
            ? appliedNewestFirst.Where(r => r.Version > t).ToList()
            : appliedNewestFirst.Take(steps ?? 1).ToList();

        var missing = toRevert.Where(r => !catalog.Contains(r.Version)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(r => $"{r.Version} ({r.ClassName ?? r.Name})"));
            throw new MissingMigrationException(
                missing.Select(r => r.Version).ToList(),
                $"Cannot revert: applied migration{(missing.Count > 1 ? "s" : "")} {list} {(missing.Count > 1 ? "are" : "is")} not in the loaded assemblies, so there is no Down to run. " +
                "Nothing was reverted. Restore the class (or load the assembly that holds it), or stop above it with --to.");
        }

        var plan = toRevert.Select(r => catalog.Find(r.Version)!).ToList();
        var irreversible = plan.Where(m => m.IrreversibleReason is not null).ToList();
        if (irreversible.Count > 0)
        {
            var list = string.Join("; ", irreversible.Select(m => $"{m} ({m.IrreversibleReason})"));
            throw new IrreversibleMigrationException(irreversible,
                $"Cannot revert: {list} {(irreversible.Count > 1 ? "are" : "is")} irreversible. Nothing was reverted. " +
                $"Revert only the migrations above it with --to {irreversible.Max(m => m.Version)}, or restore from a backup.");
        }

        return new MigrationPlan(MigrationDirection.Down, plan);
    }

    /// <summary>
    /// Plans <c>baseline</c>: every migration up to and including <paramref name="version"/> that the history lacks,
    /// oldest first. Refused while a failed mark is unresolved.
    /// </summary>
    public static IReadOnlyList<MigrationInfo> PlanBaseline(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history, long version)
    {
        ValidateUpTarget(catalog, version);
        ThrowIfBlocked(catalog, history);
        var applied = history.Select(r => r.Version).ToHashSet();
        return catalog.Migrations.Where(m => m.Version <= version && !applied.Contains(m.Version)).ToList();
    }

    /// <summary>
    /// Plans <c>script</c>: what up or down would do given <paramref name="history"/>; without one, as if the database
    /// were empty (up) or had every known migration applied (down).
    /// </summary>
    public static MigrationPlan PlanScript(MigrationCatalog catalog, MigrationDirection direction, IReadOnlyList<HistoryRow>? history, long? target)
    {
        if (direction == MigrationDirection.Up)
            return PlanUp(catalog, history ?? [], target);
        history ??= catalog.Migrations.Select(m => new HistoryRow(m.Version, m.Name, m.TypeFullName, default, null, "", null, HistoryState.Applied, null)).ToList();
        return PlanDown(catalog, history, target, null);
    }

    /// <summary>Checks down's arguments: a target is 0, a known migration, or an applied version; steps is positive.</summary>
    public static void ValidateDownArguments(MigrationCatalog catalog, IReadOnlyList<HistoryRow>? history, long? target, int? steps)
    {
        if (target is not null && steps is not null)
            throw new ArgumentException("Give either a target version or a number of steps to revert, not both.");
        if (steps is <= 0)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "The number of steps to revert must be at least 1.");
        if (target is { } version && version != 0 && !catalog.Contains(version) && (history is null || history.All(r => r.Version != version)))
        {
            if (version < 0)
                throw new UnknownMigrationTargetException(version, $"Target {version} is not a version: use 0 to revert everything, or the version of a migration to revert down to.");
            if (history is not null)
                throw UnknownTarget(catalog, version, "down");
        }
    }

    private static void ThrowIfBlocked(MigrationCatalog catalog, IReadOnlyList<HistoryRow> history)
    {
        var marks = history.Where(r => r.IsIncomplete).ToList();
        if (marks.Count == 0)
            return;

        var lines = marks.Select(r =>
        {
            var what = r.State == HistoryState.UpIncomplete ? "applying" : "reverting";
            var name = catalog.Find(r.Version)?.ToString() ?? $"{r.Version} {r.ClassName ?? r.Name}";
            var cause = r.Error is null ? $"was interrupted while {what} (the process stopped before it finished)" : $"failed while {what}: {r.Error}";
            return $"  - {name}, which runs without a transaction, {cause}.";
        });
        throw new MigrationBlockedException(
            marks.Select(r => r.Version).ToList(),
            "Migrations are blocked: a migration without a transaction did not finish, so its changes may be partly in place." + Environment.NewLine +
            string.Join(Environment.NewLine, lines) + Environment.NewLine +
            "Inspect the database and complete or undo that migration's statements by hand, then record the outcome: " +
            "'resolve VERSION --applied' if its changes are now fully in place, or 'resolve VERSION --not-applied' if none remain " +
            "(in code: IMigrationRunner.ResolveAsync).");
    }

    private static UnknownMigrationTargetException UnknownTarget(MigrationCatalog catalog, long version, string verb)
    {
        var nearest = catalog.Migrations.Count == 0
            ? "There are no migrations in the loaded assemblies."
            : $"Known versions run from {catalog.Migrations[0].Version} to {catalog.Migrations[^1].Version}" +
              (catalog.Migrations.LastOrDefault(m => m.Version < version) is { } below ? $"; the nearest below is {below}." : ".");
        var zero = verb == "down" ? " Use 0 to revert everything." : "";
        return new UnknownMigrationTargetException(version, $"Target {version} names no migration. {nearest}{zero}");
    }
}
