using CodeMigrations.Linting;
using Microsoft.CodeAnalysis;

namespace CodeMigrations.Analyzers;

/// <summary>Every diagnostic of the CodeMigrations analyzers, with its id, title and help link.</summary>
internal static class Descriptors
{
    private const string Category = "CodeMigrations";

    public static readonly DiagnosticDescriptor DuplicateVersion = Error("CM0001", "Two migrations have the same version",
        "Migrations {0} and {1} both have version {2}: give one of them another version");

    public static readonly DiagnosticDescriptor MissingMigrationAttribute = Error("CM0002", "Migration class without [Migration]",
        "Migration class {0} has no [Migration(version)] attribute, so the runner refuses the set: add one, or make the class abstract");

    public static readonly DiagnosticDescriptor AttributeOnNonMigration = Error("CM0003", "[Migration] on a type that is not a concrete Migration",
        "{0} has [Migration] but is {1}: only a concrete class deriving from CodeMigrations.Migration can be a migration");

    public static readonly DiagnosticDescriptor NonPositiveVersion = Error("CM0004", "Migration version is zero or negative",
        "Migration {0} has version {1}: a version must be positive (conventionally yyyyMMddHHmmss)");

    public static readonly DiagnosticDescriptor NonTransactionalStatement = Error("CM0005", "Statement that cannot run in a transaction, in a transactional migration",
        "Migration {0} runs in a transaction, but this SQL holds {1}, which PostgreSQL refuses inside a transaction block: mark it [Migration(..., UseTransaction = false)]");

    public static readonly DiagnosticDescriptor EmptyDown = new("CM0006", "Empty Down() without [Irreversible]",
        "Migration {0} has an empty Down(), so reverting it does nothing: write the Down, or mark the class [Irreversible(\"why\")]",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: LintRules.HelpLink);

    /// <summary>The lint rules on constant SQL, CM1001 onwards in the order of <see cref="LintRules.All"/>; the message names the rule id.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> LintRuleDescriptors = CreateLintRuleDescriptors();

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: LintRules.HelpLink);

    private static Dictionary<string, DiagnosticDescriptor> CreateLintRuleDescriptors()
    {
        var descriptors = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        for (var i = 0; i < LintRules.All.Count; i++)
        {
            var rule = LintRules.All[i];
            descriptors[rule.Id] = new DiagnosticDescriptor($"CM{1001 + i}", rule.Title, $"{rule.Id}: {{0}}", Category,
                DiagnosticSeverity.Warning, isEnabledByDefault: true, description: $"{rule.Effect}. Instead: {rule.SafeAlternative}.",
                helpLinkUri: LintRules.HelpLink, customTags: rule.Id);
        }

        return descriptors;
    }
}
