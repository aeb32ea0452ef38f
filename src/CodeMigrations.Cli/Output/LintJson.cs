using System.Text.Json;
using System.Text.Json.Serialization;
using CodeMigrations.Linting;

namespace CodeMigrations.Cli.Output;

/// <summary>Writes <c>lint --json</c>: a JSON array, one object per finding, and nothing else.</summary>
internal static class LintJson
{
    public static void Write(TextWriter output, IReadOnlyList<LintFinding> findings)
    {
        var entries = findings.Select(f => new LintJsonEntry(
            f.Version, f.ClassName, f.Rule.Id, f.Step, f.Statement, f.Message, f.Suppressed, f.SuppressedBecause)).ToList();
        output.WriteLine(JsonSerializer.Serialize(entries, LintJsonContext.Default.ListLintJsonEntry));
    }
}

/// <summary>One element of the <c>lint --json</c> array.</summary>
internal sealed record LintJsonEntry(
    long Version,
    string ClassName,
    string Rule,
    int Step,
    string Statement,
    string Message,
    bool Suppressed,
    string? Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<LintJsonEntry>))]
internal sealed partial class LintJsonContext : JsonSerializerContext;
