using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CodeMigrations.Benchmarks;

/// <summary>The machine a run was measured on.</summary>
internal sealed record MachineInfo(
    int Cores,
    string Nproc,
    string Cpu,
    string Memory,
    string PostgresVersion,
    string Fsync,
    string Runtime,
    string Os,
    DateTimeOffset Date,
    string LoadAtStart,
    string? LoadAtEnd);

/// <summary>Medians per scenario and tool, ratios to the floors, the targets of issues 13 and 17, and the JSON of every run.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Markdown(MachineInfo machine, IReadOnlyList<Scenario> scenarios, IReadOnlyDictionary<string, int> reps,
        IReadOnlyList<RunRecord> runs, Func<ToolId, Operation, string?> unsupported, TimeSpan? total)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Machine: {machine.Cores} cores (nproc {machine.Nproc}), {machine.Cpu}, {machine.Memory} RAM; {machine.Os}; {machine.Runtime}");
        text.AppendLine(inv, $"PostgreSQL {machine.PostgresVersion} (fsync {machine.Fsync}), throwaway local cluster; {machine.Date:yyyy-MM-dd HH:mm} UTC; load average at start {machine.LoadAtStart}, at end {machine.LoadAtEnd}");
        text.AppendLine(inv, $"Each run: its own process (`dotnet <dll>` for .NET tools), a fresh database created untimed, CHECKPOINT, then timed start to exit; peak RSS of the process. Medians of {string.Join(", ", reps.Select(r => $"{r.Key} {r.Value}"))} repetitions, tools interleaved (order rotated each repetition). Whole run {(total is { } t ? t.TotalMinutes.ToString("F1", inv) : "?")} min.");
        text.AppendLine("× floor: median time over the floor's median time. paired: the median, over repetitions, of the time over the floor's time in the same repetition (robust to the disk's drift during the run).");
        text.AppendLine();
        text.AppendLine("| scenario | tool | median s | × floor | paired | min–max s | peak RSS MB | runs ok |");
        text.AppendLine("|---|---|---:|---:|---:|---|---:|---|");
        foreach (var scenario in scenarios)
        {
            var floor = Median(runs, scenario.Key, ToolCatalog.Key(scenario.Floor));
            var title = scenario.Title;
            foreach (var tool in scenario.Tools)
            {
                var key = ToolCatalog.Key(tool);
                var name = ToolCatalog.DisplayName(tool, scenario.Operation);
                if (tool == scenario.Floor)
                    name = $"**floor: {name}**";
                var mine = runs.Where(r => r.Scenario == scenario.Key && r.Tool == key).ToList();
                if (mine.Count == 0)
                {
                    var why = unsupported(tool, scenario.Operation);
                    if (why is not null)
                    {
                        text.AppendLine(inv, $"| {title} | {name} | n/a | | | {why} | | |");
                        title = "";
                    }

                    continue;
                }

                var ok = mine.Where(r => r.Ok).ToList();
                var median = Median(runs, scenario.Key, key);
                var ratio = median is { } m && floor is { } f && f > 0 ? (m / f).ToString("F2", inv) + "x" : "–";
                var range = ok.Count > 0 ? string.Create(inv, $"{ok.Min(r => r.Seconds!.Value):F3}–{ok.Max(r => r.Seconds!.Value):F3}") : "–";
                var rss = ok.Count > 0 && ok.Any(r => r.RssMb is not null) ? ok.Max(r => r.RssMb ?? 0).ToString("F0", inv) : "–";
                var medianText = median?.ToString("F3", inv) ?? "FAILED";
                var paired = PairedRatio(runs, scenario, key) is { } p ? p.ToString("F2", inv) + "x" : "–";
                text.AppendLine(inv, $"| {title} | {name} | {medianText} | {ratio} | {paired} | {range} | {rss} | {ok.Count}/{mine.Count} |");
                title = "";
            }
        }

        var targets = Targets(scenarios, runs);
        if (targets.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Targets of issues 13 and 17 for CodeMigrations, on the paired ratios (informative: the harness asserts no figures):");
            text.AppendLine();
            foreach (var line in targets)
                text.AppendLine(inv, $"- {line}");
        }

        return text.ToString();
    }

    public static string JsonText(MachineInfo machine, object options, IReadOnlyList<RunRecord> runs) =>
        JsonSerializer.Serialize(new { machine, options, runs }, Json);

    /// <summary>Reads back what <see cref="JsonText"/> wrote.</summary>
    public static (MachineInfo Machine, IReadOnlyList<Scenario> Scenarios, IReadOnlyDictionary<string, int> Reps, IReadOnlyList<RunRecord> Runs, TimeSpan? Total)
        ReadJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var machine = root.GetProperty("machine").Deserialize<MachineInfo>(Json)!;
        var runs = root.GetProperty("runs").Deserialize<List<RunRecord>>(Json)!;
        var options = root.GetProperty("options");
        var reps = options.GetProperty("reps").Deserialize<Dictionary<string, int>>(Json)!;
        var keys = options.GetProperty("scenarios").Deserialize<List<string>>(Json)!;
        var scenarios = Scenario.All(options.GetProperty("n").GetInt32(), options.GetProperty("statusN").GetInt32())
            .Where(s => keys.Contains(s.Key))
            .ToList();
        TimeSpan? total = options.TryGetProperty("totalMinutes", out var minutes) ? TimeSpan.FromMinutes(minutes.GetDouble()) : null;
        return (machine, scenarios, reps, runs, total);
    }

    private static double? Median(IReadOnlyList<RunRecord> runs, string scenario, string tool)
    {
        var all = runs.Where(r => r.Scenario == scenario && r.Tool == tool).ToList();
        // A tool with any failed run gets no median: a failure must not hide behind the successes.
        if (all.Count == 0 || all.Any(r => !r.Ok))
            return null;
        var values = all.Select(r => r.Seconds!.Value).Order().ToArray();
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    /// <summary>The median over repetitions of the tool's time over the floor's time in the same repetition.</summary>
    private static double? PairedRatio(IReadOnlyList<RunRecord> runs, Scenario scenario, string tool)
    {
        var floorKey = ToolCatalog.Key(scenario.Floor);
        var mine = runs.Where(r => r.Scenario == scenario.Key && r.Tool == tool).ToList();
        if (mine.Count == 0 || mine.Any(r => !r.Ok))
            return null;
        var ratios = mine
            .Select(r => (Mine: r, Floor: runs.FirstOrDefault(f => f.Scenario == scenario.Key && f.Tool == floorKey && f.Rep == r.Rep && f.Ok)))
            .Where(p => p.Floor is not null && p.Floor.Seconds > 0)
            .Select(p => p.Mine.Seconds!.Value / p.Floor!.Seconds!.Value)
            .Order()
            .ToArray();
        if (ratios.Length == 0)
            return null;
        return ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[ratios.Length / 2 - 1] + ratios[ratios.Length / 2]) / 2;
    }

    private static List<string> Targets(IReadOnlyList<Scenario> scenarios, IReadOnlyList<RunRecord> runs)
    {
        var lines = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        const string cm = "codemigrations";
        foreach (var scenario in scenarios)
        {
            var mine = Median(runs, scenario.Key, cm);
            if (PairedRatio(runs, scenario, cm) is not { } ratio || mine is not { } m)
                continue;
            string Check(double limit) => ratio <= limit ? "met" : "NOT met";
            switch (scenario.Key)
            {
                case "heavy":
                    lines.Add(string.Create(inv, $"heavy: ≤ 1.0x the psql floor: {ratio:F2}x, {Check(1.0)}"));
                    break;
                case "tiny":
                    lines.Add(string.Create(inv, $"tiny: ≤ 0.75x the psql floor: {ratio:F2}x, {Check(0.75)}"));
                    var peers = ToolCatalog.Peers.Where(p => p is not ToolId.CodeMigrations and not ToolId.CodeMigrationsDurableEach)
                        .Select(p => Median(runs, scenario.Key, ToolCatalog.Key(p))).OfType<double>().ToList();
                    if (peers.Count > 0)
                    {
                        var speedup = peers.Min() / m;
                        lines.Add(string.Create(inv, $"tiny: ≥ 2x faster than the fastest peer: {speedup:F2}x, {(speedup >= 2 ? "met" : "NOT met")}"));
                    }

                    break;
                case "noop":
                    lines.Add(string.Create(inv, $"no-op: ≤ 1.0x the minimal .NET floor: {ratio:F2}x, {Check(1.0)}"));
                    if (Median(runs, scenario.Key, ToolCatalog.Key(ToolId.DbUp)) is { } dbup)
                        lines.Add(string.Create(inv, $"no-op: faster than DbUp: {m:F3} s against {dbup:F3} s, {(m < dbup ? "met" : "NOT met")}"));
                    break;
                case "status":
                    var rss = runs.Where(r => r.Scenario == "status" && r.Tool == cm && r.Ok).Max(r => r.RssMb ?? 0);
                    lines.Add(string.Create(inv, $"status: ≤ 1.3x the minimal .NET floor: {ratio:F2}x, {Check(1.3)}; peak RSS < 100 MB: {rss:F0} MB, {(rss < 100 ? "met" : "NOT met")}"));
                    break;
                case "revert":
                    lines.Add(string.Create(inv, $"revert: ≤ 1.0x the psql downs floor: {ratio:F2}x, {Check(1.0)}"));
                    break;
                case "verify":
                    lines.Add(string.Create(inv, $"verify: ≤ 2x psql applying every Up then every Down: {ratio:F2}x, {Check(2.0)}"));
                    break;
                case "verify-from":
                    lines.Add(string.Create(inv, $"verify --from the last migration: < 3 s: {m:F2} s, {(m < 3 ? "met" : "NOT met")}"));
                    break;
                default:
                    break;
            }

            // The same target, met by a setting of the user's program instead of by the tool.
            if (PairedRatio(runs, scenario, ToolCatalog.Key(ToolId.CodeMigrationsReadyToRun)) is { } r2r)
                lines.Add(string.Create(inv, $"{scenario.Key}, with a ReadyToRun-published host: {r2r:F2}x the floor"));
        }

        return lines;
    }
}
