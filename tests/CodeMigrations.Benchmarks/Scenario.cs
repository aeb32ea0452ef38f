namespace CodeMigrations.Benchmarks;

/// <summary>How a run's database is brought to its starting state, untimed.</summary>
internal enum Preparation
{
    /// <summary>A fresh, empty database.</summary>
    None,

    /// <summary>A fresh database to which the same tool applies the workload before every timed run.</summary>
    ApplyEachRun,

    /// <summary>
    /// The same tool applies the workload once to a template database; every run gets a fresh clone of it
    /// (<c>CREATE DATABASE … TEMPLATE</c>), physically the same state at a fraction of the cost.
    /// </summary>
    ApplyOnceThenClone,
}

/// <summary>One benchmark scenario: a workload, the operation timed, the tools and the floor the ratios are taken against.</summary>
internal sealed record Scenario(
    string Key,
    string Title,
    Workload Workload,
    Operation Operation,
    Preparation Preparation,
    ToolId Floor,
    IReadOnlyList<ToolId> Tools,
    bool Slow)
{
    /// <summary>The size of the history <c>verify</c> is measured on: about a real project's (issue 13: 233).</summary>
    public const int VerifyCount = 240;

    public static IReadOnlyList<Scenario> All(int n, int statusN)
    {
        var realistic = new Workload("realistic", WorkloadKind.Realistic, Math.Min(n, VerifyCount), HasFloorScripts: true);
        var heavy = new Workload("heavy", WorkloadKind.Heavy, n, HasFloorScripts: true);
        var tiny = new Workload("tiny", WorkloadKind.Tiny, n, HasFloorScripts: true);
        var status = new Workload("status", WorkloadKind.Tiny, statusN, HasFloorScripts: false);
        ToolId[] applying = [ToolId.PsqlEach, ToolId.PsqlOne, ToolId.PsqlGroup, ToolId.NpgsqlApply, ToolId.CodeMigrations, ToolId.CodeMigrationsDurableEach,
            ToolId.FluentMigrator, ToolId.DbUp, ToolId.Evolve];
        // Start-up is what a ReadyToRun host changes: it runs where start-up is most of the time.
        ToolId[] applyingTiny = [.. applying, ToolId.CodeMigrationsReadyToRun];
        ToolId[] starting = [ToolId.NpgsqlProbe, ToolId.CodeMigrations, ToolId.CodeMigrationsReadyToRun, ToolId.FluentMigrator, ToolId.DbUp, ToolId.Evolve];
        return
        [
            new("heavy", $"heavy: apply {n:N0} to an empty database", heavy, Operation.Up, Preparation.None, ToolId.PsqlEach, applying, Slow: true),
            new("tiny", $"tiny: apply {n:N0} one-row migrations", tiny, Operation.Up, Preparation.None, ToolId.PsqlEach, applyingTiny, Slow: false),
            new("noop", $"no-op: up with {n:N0} applied", heavy, Operation.Up, Preparation.ApplyOnceThenClone, ToolId.NpgsqlProbe, starting, Slow: false),
            new("status", $"status with {statusN:N0} applied", status, Operation.Status, Preparation.ApplyOnceThenClone, ToolId.NpgsqlProbe, starting, Slow: false),
            new("revert", $"revert all {n:N0} of heavy", heavy, Operation.Down, Preparation.ApplyEachRun, ToolId.PsqlEach,
                [ToolId.PsqlEach, ToolId.PsqlGroup, ToolId.CodeMigrations, ToolId.CodeMigrationsDurableEach, ToolId.FluentMigrator, ToolId.DbUp, ToolId.Evolve], Slow: true),
            new("verify", $"verify {realistic.Count:N0} realistic migrations (psql: every up, then every down)", realistic, Operation.Verify,
                Preparation.None, ToolId.PsqlEach, [ToolId.PsqlEach, ToolId.CodeMigrations], Slow: true),
            new("verify-from", $"verify --from the last of {realistic.Count:N0} realistic migrations", realistic, Operation.VerifyFrom,
                Preparation.None, ToolId.PsqlEach, [ToolId.PsqlEach, ToolId.CodeMigrations], Slow: false),
        ];
    }
}

/// <summary>One timed run, as the JSON file records it.</summary>
internal sealed record RunRecord(
    string Scenario,
    string Tool,
    string ToolName,
    int Rep,
    double? Seconds,
    double? RssMb,
    bool Ok,
    string? Error,
    string? Database);
