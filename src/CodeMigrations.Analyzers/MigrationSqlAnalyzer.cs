using System.Collections.Immutable;
using CodeMigrations.Linting;
using CodeMigrations.Sql;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CodeMigrations.Analyzers;

/// <summary>
/// Reads the constant SQL strings a migration passes to <c>Execute(...)</c>: a statement PostgreSQL refuses inside a
/// transaction, in a transactional migration (CM0005, in Up and Down), and the lint rules on Up (CM1001 onwards,
/// warnings, suppressed by the class's [AllowUnsafe]).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationSqlAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.NonTransactionalStatement).AddRange(Descriptors.LintRuleDescriptors.Values);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationSymbols.From(start.Compilation) is not { } symbols)
                return;
            start.RegisterOperationBlockAction(block => AnalyzeMethod(block, symbols));
        });
    }

    private static void AnalyzeMethod(OperationBlockAnalysisContext context, MigrationSymbols symbols)
    {
        if (context.OwningSymbol is not IMethodSymbol { Name: "Up" or "Down", Parameters.Length: 0, IsOverride: true } method
            || method.ContainingType is not { } type || !symbols.IsMigration(type))
        {
            return;
        }

        var strings = new List<(string Sql, Location Location)>();
        foreach (var block in context.OperationBlocks)
        {
            foreach (var invocation in block.Descendants().OfType<IInvocationOperation>())
            {
                if (invocation.TargetMethod is { Name: "Execute" } target
                    && SymbolEqualityComparer.Default.Equals(target.ContainingType, symbols.Migration)
                    && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } argument
                    && argument.Value.ConstantValue is { HasValue: true, Value: string sql })
                {
                    strings.Add((sql, argument.Value.Syntax.GetLocation()));
                }
            }
        }

        if (strings.Count == 0)
            return;
        if (symbols.UsesTransaction(type))
            ReportNonTransactional(context, type, strings);
        if (method.Name == "Up")
            ReportLintFindings(context, type, symbols, strings);
    }

    private static void ReportNonTransactional(OperationBlockAnalysisContext context, INamedTypeSymbol type, List<(string Sql, Location Location)> strings)
    {
        foreach (var (sql, location) in strings)
        {
            foreach (var statement in LintStatements.Split(sql))
            {
                if (TransactionBlockRules.FindRefusedCommand(statement.Text.AsSpan()) is { } command)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.NonTransactionalStatement, location, type.Name, command));
                    break;
                }
            }
        }
    }

    private static void ReportLintFindings(OperationBlockAnalysisContext context, INamedTypeSymbol type, MigrationSymbols symbols, List<(string Sql, Location Location)> strings)
    {
        var allowed = symbols.AllowedRules(type);
        foreach (var (piece, rule, _, message) in MigrationLinter.LintPieces(strings.Select(s => s.Sql).ToList()))
        {
            if (!allowed.Contains(rule.Id) && Descriptors.LintRuleDescriptors.TryGetValue(rule.Id, out var descriptor))
                context.ReportDiagnostic(Diagnostic.Create(descriptor, strings[piece].Location, message));
        }
    }
}
