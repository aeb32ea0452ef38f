using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeMigrations.Cli.Output;

/// <summary>
/// Writes <c>status --json</c>: a JSON array, one object per migration, and nothing else. Source-generated, so no
/// reflection at startup; its own type, so System.Text.Json is loaded only when asked for.
/// </summary>
internal static class StatusJson
{
    public static void Write(TextWriter output, IReadOnlyList<MigrationStatus> lines)
    {
        var entries = lines.Select(l => new StatusJsonEntry(
            l.Version,
            l.Name,
            l.ClassName,
            StateName(l.State),
            l.AppliedAt,
            l.ExecutionTime is { } time ? (long)Math.Round(time.TotalMilliseconds) : null,
            l.AppliedBy,
            l.Error,
            l.IrreversibleReason,
            l.RunningIn?.ToString())).ToList();
        output.WriteLine(JsonSerializer.Serialize(entries, StatusJsonContext.Default.ListStatusJsonEntry));
    }

    /// <summary>The state as scripts see it: applied, pending, missing, failedUp, failedDown, runningUp, runningDown.</summary>
    public static string StateName(MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.Missing => "missing",
        MigrationState.FailedUp => "failedUp",
        MigrationState.FailedDown => "failedDown",
        MigrationState.RunningUp => "runningUp",
        MigrationState.RunningDown => "runningDown",
        _ => state.ToString(),
    };
}

/// <summary>One element of the <c>status --json</c> array.</summary>
internal sealed record StatusJsonEntry(
    long Version,
    string Name,
    string? ClassName,
    string State,
    DateTimeOffset? AppliedAt,
    long? DurationMs,
    string? AppliedBy,
    string? Error,
    string? Irreversible,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RunningIn);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<StatusJsonEntry>))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
