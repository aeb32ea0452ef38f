using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeMigrations.Analyzers;

/// <summary>
/// What the loader would refuse at run time, found at compile time: two migrations with one version (CM0001), a
/// migration without [Migration] (CM0002), [Migration] on a type that is not a concrete migration (CM0003), a version
/// that is not positive (CM0004); and an empty Down() that is not marked irreversible (CM0006).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MigrationClassAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.DuplicateVersion, Descriptors.MissingMigrationAttribute, Descriptors.AttributeOnNonMigration,
        Descriptors.NonPositiveVersion, Descriptors.EmptyDown);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationSymbols.From(start.Compilation) is not { } symbols)
                return;
            var versions = new ConcurrentBag<(long Version, INamedTypeSymbol Type)>();
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, symbols, versions), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, versions));
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, MigrationSymbols symbols, ConcurrentBag<(long, INamedTypeSymbol)> versions)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = symbols.MigrationAttributeOf(type);
        var isMigration = type.TypeKind == TypeKind.Class && symbols.IsMigration(type);
        var location = type.Locations.FirstOrDefault() ?? Location.None;
        if (attribute is null)
        {
            if (isMigration && !type.IsAbstract)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingMigrationAttribute, location, type.Name));
            return;
        }

        if (!isMigration || type.IsAbstract)
        {
            var what = type.TypeKind != TypeKind.Class ? $"a {type.TypeKind.ToString().ToLowerInvariant()}"
                : !isMigration ? "not derived from CodeMigrations.Migration" : "abstract";
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AttributeOnNonMigration, AttributeLocation(attribute) ?? location, type.Name, what));
            return;
        }

        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is long version)
        {
            if (version <= 0)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NonPositiveVersion, AttributeLocation(attribute) ?? location, type.Name, version));
            else
                versions.Add((version, type));
        }

        if (!symbols.HasAttribute(type, symbols.Irreversible) && EmptyDown(type) is { } down)
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.EmptyDown, down, type.Name));
    }

    /// <summary>The location of an overridden <c>Down() { }</c> with an empty body; null otherwise.</summary>
    private static Location? EmptyDown(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers("Down"))
        {
            if (member is not IMethodSymbol { IsOverride: true, Parameters.Length: 0 } method)
                continue;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is MethodDeclarationSyntax { Body.Statements.Count: 0, ExpressionBody: null } syntax)
                    return syntax.Identifier.GetLocation();
            }
        }

        return null;
    }

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference is { } reference ? Location.Create(reference.SyntaxTree, reference.Span) : null;

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<(long Version, INamedTypeSymbol Type)> versions)
    {
        foreach (var group in versions.GroupBy(v => v.Version).Where(g => g.Count() > 1))
        {
            var types = group.Select(g => g.Type).OrderBy(t => t.ToDisplayString(), StringComparer.Ordinal).ToList();
            for (var i = 0; i < types.Count; i++)
            {
                var other = types[i == 0 ? 1 : 0];
                var location = types[i].Locations.FirstOrDefault() ?? Location.None;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateVersion, location,
                    types[i].ToDisplayString(), other.ToDisplayString(), group.Key));
            }
        }
    }
}
