using System.Text.Json;
using System.Text.Json.Serialization;
using CodeMigrations.Cli.Database;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;

namespace CodeMigrations.Cli.Fleet;

/// <summary>What a fleet run prints at the end: a table (target, before -> after, applied, duration, outcome) and the errors, or <c>--json</c>.</summary>
internal static class FleetSummary
{
    /// <summary>One target's line as it ends: outcome, target, versions, what it did, how long.</summary>
    public static string Line(CliConsole console, MigrationTargetResult result)
    {
        var mark = result.State == MigrationTargetState.Ok
            ? console.Paint(console.Symbols.Done, CliColour.Green)
            : console.Paint(console.Symbols.Failed, result.State == MigrationTargetState.Skipped ? CliColour.Yellow : CliColour.Red);
        var error = result.Error is null ? "" : $": {OneLine.Of(Message(result).Split('\n')[0].TrimEnd())}";
        return $"{mark} {result.Target.Label} {StateName(result.State)} {Versions(result)}{Work(result)} ({Durations.Format(result.Duration)}){error}";
    }

    public static void WriteTable(CliConsole console, IReadOnlyList<MigrationTargetResult> results)
    {
        string[] header = ["TARGET", "VERSION", "APPLIED", "DURATION", "OUTCOME"];
        var rows = results.Select(r => new[]
        {
            r.Target.Label,
            Versions(r),
            r.Reverted > 0 ? $"-{r.Reverted}" : r.Applied.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Durations.Format(r.Duration),
            StateName(r.State),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd(), CliColour.Dim);
        foreach (var (row, result) in rows.Zip(results))
        {
            var colour = result.State switch
            {
                MigrationTargetState.Ok => CliColour.None,
                MigrationTargetState.Skipped => CliColour.Yellow,
                _ => CliColour.Red,
            };
            console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd(), colour);
        }

        var failing = results.Where(r => r.Error is not null).ToList();
        if (failing.Count > 0)
        {
            console.WriteLine("");
            foreach (var result in failing)
                console.WriteLine($"{result.Target.Label}: {Message(result)}");
        }

        var counts = results.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {StateName(g.Key)}");
        console.WriteLine($"{results.Count} target{(results.Count == 1 ? "" : "s")}: {string.Join(", ", counts)}.",
            results.All(r => r.State == MigrationTargetState.Ok) ? CliColour.Green : CliColour.Red);
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<MigrationTargetResult> results)
    {
        var entries = results.Select(r => new FleetJsonEntry(
            r.Target.Label, StateName(r.State), r.Applied, r.Reverted, r.FromVersion, r.ToVersion,
            (long)Math.Round(r.Duration.TotalMilliseconds), r.Error is null ? null : Message(r))).ToList();
        output.WriteLine(JsonSerializer.Serialize(entries, FleetJsonContext.Default.ListFleetJsonEntry));
    }

    public static string StateName(MigrationTargetState state) => state switch
    {
        MigrationTargetState.Ok => "ok",
        MigrationTargetState.Failed => "failed",
        MigrationTargetState.Unreachable => "unreachable",
        _ => "skipped",
    };

    /// <summary>The error, masked once more: the core's messages hold no password, but a host's exception might quote one.</summary>
    private static string Message(MigrationTargetResult result) => ConnectionStrings.MaskPasswords(result.Error ?? "");

    private static string Versions(MigrationTargetResult result) => $"{result.FromVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} -> {result.ToVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";

    private static string Work(MigrationTargetResult result) =>
        (result.Applied, result.Reverted) switch
        {
            (0, 0) => "",
            (var applied, 0) => $", {applied} applied",
            (0, var reverted) => $", {reverted} reverted",
            var (applied, reverted) => $", {applied} applied, {reverted} reverted",
        };
}

/// <summary>One element of a fleet's <c>--json</c> array.</summary>
internal sealed record FleetJsonEntry(string Target, string State, int Applied, int Reverted, long? FromVersion, long? ToVersion, long DurationMs, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<FleetJsonEntry>))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
