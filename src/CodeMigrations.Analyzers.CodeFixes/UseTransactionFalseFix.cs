using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeMigrations.Analyzers;

/// <summary>CM0005: sets <c>UseTransaction = false</c> on the migration's <c>[Migration]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseTransactionFalseFix))]
[Shared]
public sealed class UseTransactionFalseFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("CM0005");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var type = root?.FindNode(context.Span).FirstAncestorOrSelf<ClassDeclarationSyntax>();
        if (root is null || type is null || MigrationAttributes.Find(type) is not { } attribute)
            return;
        context.RegisterCodeFix(
            CodeAction.Create("Run the migration without a transaction (UseTransaction = false)",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, WithUseTransactionFalse(attribute)))),
                equivalenceKey: "CM0005"),
            context.Diagnostics);
    }

    private static AttributeSyntax WithUseTransactionFalse(AttributeSyntax attribute)
    {
        var falseLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression);
        var list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var existing = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "UseTransaction");
        if (existing is not null)
            return attribute.ReplaceNode(existing.Expression, falseLiteral.WithTriviaFrom(existing.Expression));

        var argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName("UseTransaction"),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)),
            null, falseLiteral);
        var arguments = list.Arguments.Add(argument);
        var separators = Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), arguments.Count - 1);
        return attribute.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(arguments, separators)));
    }
}

/// <summary>Finds a class's <c>[Migration]</c> by its written name.</summary>
internal static class MigrationAttributes
{
    public static AttributeSyntax? Find(ClassDeclarationSyntax type) =>
        type.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => NameOf(a.Name) is "Migration" or "MigrationAttribute");

    private static string NameOf(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => "",
    };
}
