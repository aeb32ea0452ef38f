using System.Globalization;

namespace CodeMigrations.Benchmarks;

/// <summary>
/// Runs the scenarios: for every repetition, every tool in turn (interleaved, the order rotated each repetition), each
/// on a database created untimed, a CHECKPOINT, then the tool's whole process timed and its result verified. Databases
/// are never dropped during the run (a mass delete slows file creation on this disk for minutes).
/// </summary>
internal sealed class BenchmarkRunner
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    private readonly BenchDatabase _database;
    private readonly ToolCatalog _tools;
    private readonly TextWriter _log;
    private readonly List<RunRecord> _runs = [];

    public BenchmarkRunner(BenchDatabase database, ToolCatalog tools, TextWriter log)
    {
        _database = database;
        _tools = tools;
        _log = log;
    }

    public IReadOnlyList<RunRecord> Runs => _runs;

    public async Task RunAsync(Scenario scenario, IReadOnlyList<ToolId> tools, int reps, CancellationToken cancellationToken)
    {
        _log.WriteLine();
        _log.WriteLine($"== {scenario.Title} ({reps} rep{(reps == 1 ? "" : "s")})");
        var runnable = new List<ToolId>();
        foreach (var tool in tools)
        {
            var why = _tools.Unsupported(tool, scenario.Operation);
            if (why is null)
                runnable.Add(tool);
            else
                _log.WriteLine($"   {ToolCatalog.DisplayName(tool, scenario.Operation),-44} n/a: {why}");
        }

        // Templates for the clone-prepared scenarios: each tool applies the workload once, untimed.
        var templates = new Dictionary<ToolId, string>();
        var brokenTemplates = new Dictionary<ToolId, string>();
        if (scenario.Preparation == Preparation.ApplyOnceThenClone)
        {
            var preparing = System.Diagnostics.Stopwatch.StartNew();
            foreach (var tool in runnable.Where(t => t != scenario.Floor))
            {
                var template = DatabaseName(scenario, tool, "tpl");
                var error = await CreatePreparedAsync(scenario, tool, template, template: null, apply: true, cancellationToken);
                if (error is null)
                    templates[tool] = template;
                else
                {
                    brokenTemplates[tool] = error;
                    _log.WriteLine($"   {ToolCatalog.DisplayName(tool, scenario.Operation),-44} preparation FAILED: {error}");
                }
            }

            _log.WriteLine($"   (each tool applied the workload to its template database, untimed: {preparing.Elapsed.TotalSeconds:F0} s)");
        }

        for (var rep = 1; rep <= reps; rep++)
        {
            var order = runnable.Skip((rep - 1) % runnable.Count).Concat(runnable.Take((rep - 1) % runnable.Count)).ToList();
            foreach (var tool in order)
            {
                var record = await RunOnceAsync(scenario, tool, rep, templates, brokenTemplates, cancellationToken);
                _runs.Add(record);
                var figures = record.Seconds is { } s
                    ? string.Create(CultureInfo.InvariantCulture, $"{s,8:F3} s {record.RssMb,7:F1} MB")
                    : "       -             -";
                _log.WriteLine($"   rep {rep}  {record.ToolName,-44} {figures}  {(record.Ok ? "ok" : "FAILED: " + record.Error)}");
            }
        }
    }

    private async Task<RunRecord> RunOnceAsync(Scenario scenario, ToolId tool, int rep, Dictionary<ToolId, string> templates,
        Dictionary<ToolId, string> brokenTemplates, CancellationToken cancellationToken)
    {
        var name = ToolCatalog.DisplayName(tool, scenario.Operation);
        var database = DatabaseName(scenario, tool, rep.ToString(CultureInfo.InvariantCulture));
        RunRecord Failed(string error, ProcessTimer.Result? result = null) => new(scenario.Key, ToolCatalog.Key(tool), name, rep,
            result?.Elapsed.TotalSeconds, result?.PeakRssKb / 1024.0, Ok: false, error, database);

        if (brokenTemplates.TryGetValue(tool, out var broken))
            return Failed("preparation failed: " + broken);

        var isFloorProbe = tool == ToolId.NpgsqlProbe;
        var apply = scenario.Preparation == Preparation.ApplyEachRun && !isFloorProbe;
        var template = templates.GetValueOrDefault(tool);
        var prepared = await CreatePreparedAsync(scenario, tool, database, template, apply, cancellationToken);
        if (prepared is not null)
            return Failed("preparation failed: " + prepared);

        await _database.CheckpointAsync(cancellationToken);
        var command = _tools.Command(tool, scenario.Operation, scenario.Workload, database);
        var result = await ProcessTimer.RunAsync(command.FileName, command.Arguments,
            new ProcessTimer.Settings { Timeout = ToolTimeout }, cancellationToken);
        if (result.TimedOut)
            return Failed($"timed out after {ToolTimeout.TotalMinutes} min", result);
        if (result.ExitCode != 0)
            return Failed($"exit code {result.ExitCode}: {LastLines(result.ErrorTail, result.OutputTail)}", result);

        var verification = await VerifyAsync(scenario, tool, database, result, cancellationToken);
        if (verification is not null)
            return Failed("verification: " + verification, result);
        return new RunRecord(scenario.Key, ToolCatalog.Key(tool), name, rep, result.Elapsed.TotalSeconds,
            result.PeakRssKb / 1024.0, Ok: true, Error: null, database);
    }

    /// <summary>Creates a database (a clone of <paramref name="template"/>, or empty) and, if asked, applies the workload with the tool, untimed.</summary>
    private async Task<string?> CreatePreparedAsync(Scenario scenario, ToolId tool, string database, string? template, bool apply,
        CancellationToken cancellationToken)
    {
        await _database.CreateDatabaseAsync(database, template, cancellationToken);
        if (template is not null)
            return null;
        await _tools.PrepareEmptyAsync(tool, database, cancellationToken);
        if (!apply)
            return null;

        // Untimed, so commits need not wait for the disk: the state is the same, and the CHECKPOINT before the timed run
        // writes it all out. A database's settings are not copied to its clones, and RESET restores the default for the run.
        var quoted = BenchDatabase.Quote(database);
        await _database.ExecuteAsync(null, $"ALTER DATABASE {quoted} SET synchronous_commit = off", cancellationToken);
        var command = _tools.Command(tool, Operation.Up, scenario.Workload, database);
        var result = await ProcessTimer.RunAsync(command.FileName, command.Arguments,
            new ProcessTimer.Settings { Timeout = ToolTimeout, MeasureMemory = false }, cancellationToken);
        await _database.ExecuteAsync(null, $"ALTER DATABASE {quoted} RESET synchronous_commit", cancellationToken);
        if (result.ExitCode != 0)
            return $"up exited {result.ExitCode}: {LastLines(result.ErrorTail, result.OutputTail)}";
        return await VerifyAppliedAsync(scenario.Workload, tool, database, cancellationToken);
    }

    private async Task<string?> VerifyAsync(Scenario scenario, ToolId tool, string database, ProcessTimer.Result result,
        CancellationToken cancellationToken)
    {
        var n = scenario.Workload.Count;
        if (tool == ToolId.NpgsqlProbe)
            return result.OutputTail.Trim() == "1" ? null : $"expected the probe to print 1, got '{result.OutputTail}'";

        switch (scenario.Operation)
        {
            case Operation.Up:
                return await VerifyAppliedAsync(scenario.Workload, tool, database, cancellationToken);
            case Operation.Status:
                if (result.OutputLines < n)
                    return $"status printed {result.OutputLines} lines for {n} migrations";
                return await VerifyHistoryAsync(tool, database, n, cancellationToken);
            case Operation.Down:
                var tables = await TableCountAsync(database, cancellationToken);
                if (tables != 0)
                    return $"{tables} of the workload's tables remain";
                return await VerifyHistoryAsync(tool, database, 0, cancellationToken);
            case Operation.Verify or Operation.VerifyFrom:
                // verify works on a scratch database and must leave the target empty; psql's ups and downs must too.
                var left = await _database.ScalarAsync(database,
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = 'public' AND c.relname ~ '^r(v)?_[0-9]+$'",
                    cancellationToken);
                if (left != 0)
                    return $"{left} of the workload's tables and views remain in the target";
                return tool == ToolId.CodeMigrations && !result.OutputTail.Contains("all ok", StringComparison.Ordinal)
                    ? $"verify did not end with 'all ok': {result.OutputTail}"
                    : null;
            default:
                throw new InvalidOperationException(scenario.Operation.ToString());
        }
    }

    /// <summary>Every migration of the workload took effect and is recorded once in the tool's history.</summary>
    private async Task<string?> VerifyAppliedAsync(Workload workload, ToolId tool, string database, CancellationToken cancellationToken)
    {
        var n = workload.Count;
        if (workload.Kind == WorkloadKind.Heavy)
        {
            var seeded = await _database.ScalarAsync(database, """
                SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                WHERE ns.nspname = 'public' AND c.relkind = 'r' AND c.relname ~ '^t_[0-9]+$'
                  AND (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I WHERE name = %L', c.relname, 'seed'), false, true, '')))[1]::text::int = 1
                """, cancellationToken);
            var indexes = await _database.ScalarAsync(database,
                "SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname ~ '^ix_t_[0-9]+_name$'", cancellationToken);
            if (seeded != n || indexes != n)
                return $"expected {n} tables with their seed row and {n} indexes, found {seeded} and {indexes}";
        }
        else
        {
            var rows = await _database.CountAsync(database, "kv", null, cancellationToken);
            var distinct = await _database.CountAsync(database, "(SELECT DISTINCT k FROM kv) d", null, cancellationToken);
            if (rows != n || distinct != n)
                return $"expected kv to hold {n} distinct rows, found {rows} rows, {distinct} distinct";
        }

        return await VerifyHistoryAsync(tool, database, n, cancellationToken);
    }

    private async Task<string?> VerifyHistoryAsync(ToolId tool, string database, long expected, CancellationToken cancellationToken)
    {
        if (ToolCatalog.History(tool) is not { } history)
            return null;
        var count = await _database.CountAsync(database, history.Table, history.Where, cancellationToken);
        return count == expected ? null : $"expected {expected} rows in {history.Table}, found {(count < 0 ? "no table" : count)}";
    }

    private Task<long> TableCountAsync(string database, CancellationToken cancellationToken) =>
        _database.ScalarAsync(database, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname ~ '^t_[0-9]+$'", cancellationToken);

    private static string DatabaseName(Scenario scenario, ToolId tool, string suffix) =>
        $"b_{scenario.Key}_{ToolCatalog.Key(tool).Replace('-', '_')}_{suffix}";

    private static string LastLines(string errors, string output)
    {
        var text = string.IsNullOrWhiteSpace(errors) ? output : errors;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(4)).Trim();
    }
}
