using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeMigrations.Analyzers;

/// <summary>CM0006: marks the migration <c>[Irreversible("...")]</c>, after its other attributes, for the author to say why.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IrreversibleFix))]
[Shared]
public sealed class IrreversibleFix : CodeFixProvider
{
    /// <summary>The reason the fix writes: a placeholder the author replaces.</summary>
    public const string Reason = "TODO: why this migration cannot be reverted";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("CM0006");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var type = root?.FindNode(context.Span).FirstAncestorOrSelf<ClassDeclarationSyntax>();
        if (root is null || type is null || type.AttributeLists.Count == 0)
            return;
        context.RegisterCodeFix(
            CodeAction.Create("Mark the migration [Irreversible(\"...\")]",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, WithIrreversible(type)))),
                equivalenceKey: "CM0006"),
            context.Diagnostics);
    }

    private static ClassDeclarationSyntax WithIrreversible(ClassDeclarationSyntax type)
    {
        var last = type.AttributeLists[type.AttributeLists.Count - 1];
        var indentation = type.AttributeLists[0].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
        var attribute = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Irreversible"),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(Reason))))));
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation))
            .WithTrailingTrivia(last.GetTrailingTrivia());
        return type.WithAttributeLists(type.AttributeLists.Add(list));
    }
}
