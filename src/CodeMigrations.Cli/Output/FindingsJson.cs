using System.Text.Json;
using System.Text.Json.Serialization;
using CodeMigrations.Schema;
using CodeMigrations.Verification;

namespace CodeMigrations.Cli.Output;

/// <summary>
/// Writes <c>verify --json</c>, <c>drift --json</c> and <c>validate --json</c>: a JSON array, one object per finding, and
/// nothing else; what CI gates read instead of the text. Differences are data: kind of object, name, property, expected, found.
/// </summary>
internal static class FindingsJson
{
    /// <summary>One object per migration judged (its outcome, notes, error and differences), then one per migration not verified.</summary>
    public static void WriteVerification(TextWriter output, VerificationResult result)
    {
        var entries = result.Migrations.Select(m => new VerificationJsonEntry(
            m.Migration.Version,
            m.Migration.TypeFullName,
            m.Outcome.ToCode(),
            m.Notes.Select(n => n.ToCode()).ToList(),
            m.Error,
            [.. m.DownDifferences.Select(d => Difference(d, "down")), .. m.ReapplyDifferences.Select(d => Difference(d, "up-again")),
             .. m.NotedDifferences.Select(d => Difference(d, "note"))],
            (long)Math.Round(m.Duration.TotalMilliseconds))).ToList();
        entries.AddRange(result.NotVerified.Select(m => new VerificationJsonEntry(m.Version, m.TypeFullName, "not-verified", [], null, [], null)));
        output.WriteLine(JsonSerializer.Serialize(entries, FindingsJsonContext.Default.ListVerificationJsonEntry));
    }

    /// <summary>One object per difference between the database (found) and what its applied migrations produce (expected).</summary>
    public static void WriteDrift(TextWriter output, DriftReport report) =>
        output.WriteLine(JsonSerializer.Serialize(report.Differences.Select(d => Difference(d, null)).ToList(), FindingsJsonContext.Default.ListDifferenceJson));

    /// <summary>One object per finding of <c>validate</c>.</summary>
    public static void WriteValidation(TextWriter output, IReadOnlyList<MigrationValidationFinding> findings) =>
        output.WriteLine(JsonSerializer.Serialize(
            findings.Select(f => new ValidationJsonEntry(f.Version, f.Name, ProblemName(f.Problem), f.Message)).ToList(),
            FindingsJsonContext.Default.ListValidationJsonEntry));

    /// <summary>"checksum-mismatch", "missing-class", "out-of-order", "failed-mark", "unreadable".</summary>
    public static string ProblemName(MigrationValidationProblem problem) => problem switch
    {
        MigrationValidationProblem.ChecksumMismatch => "checksum-mismatch",
        MigrationValidationProblem.MissingClass => "missing-class",
        MigrationValidationProblem.OutOfOrder => "out-of-order",
        MigrationValidationProblem.FailedMark => "failed-mark",
        MigrationValidationProblem.Unreadable => "unreadable",
        _ => problem.ToString(),
    };

    private static DifferenceJson Difference(SchemaDifference difference, string? after) => new(
        after,
        difference.Kind switch
        {
            SchemaDifferenceKind.Missing => "missing",
            SchemaDifferenceKind.Unexpected => "unexpected",
            _ => "changed",
        },
        SchemaObject.Describe(difference.ObjectKind),
        difference.ObjectName,
        difference.Property,
        difference.Expected,
        difference.Found,
        difference.ToString());
}

/// <summary>One element of the <c>verify --json</c> array: a migration and its outcome.</summary>
internal sealed record VerificationJsonEntry(
    long Version,
    string ClassName,
    string Outcome,
    List<string> Notes,
    string? Error,
    List<DifferenceJson> Differences,
    long? DurationMs);

/// <summary>
/// A schema difference as data. <c>after</c>: <c>down</c> (expected: before Up), <c>up-again</c> (expected: first Up),
/// <c>note</c>, or absent (drift: expected is what the migrations produce, found is the database). <c>change</c>:
/// <c>missing</c> (expected only), <c>unexpected</c> (found only), <c>changed</c> (property, expected and found given).
/// </summary>
internal sealed record DifferenceJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? After,
    string Change,
    string Kind,
    string Name,
    string? Property,
    string? Expected,
    string? Found,
    string Message);

/// <summary>One element of the <c>validate --json</c> array.</summary>
internal sealed record ValidationJsonEntry(long Version, string ClassName, string Problem, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<VerificationJsonEntry>))]
[JsonSerializable(typeof(List<DifferenceJson>))]
[JsonSerializable(typeof(List<ValidationJsonEntry>))]
internal sealed partial class FindingsJsonContext : JsonSerializerContext;
