using Microsoft.CodeAnalysis;

namespace CodeMigrations.Analyzers;

/// <summary>The CodeMigrations types a compilation references; null when it references none (no analysis then).</summary>
internal sealed class MigrationSymbols
{
    private MigrationSymbols(INamedTypeSymbol migration, INamedTypeSymbol migrationAttribute, INamedTypeSymbol? irreversible, INamedTypeSymbol? allowUnsafe)
    {
        Migration = migration;
        MigrationAttribute = migrationAttribute;
        Irreversible = irreversible;
        AllowUnsafe = allowUnsafe;
    }

    public INamedTypeSymbol Migration { get; }

    public INamedTypeSymbol MigrationAttribute { get; }

    public INamedTypeSymbol? Irreversible { get; }

    public INamedTypeSymbol? AllowUnsafe { get; }

    public static MigrationSymbols? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName("CodeMigrations.Migration") is { } migration
        && compilation.GetTypeByMetadataName("CodeMigrations.MigrationAttribute") is { } attribute
            ? new MigrationSymbols(migration, attribute,
                compilation.GetTypeByMetadataName("CodeMigrations.IrreversibleAttribute"),
                compilation.GetTypeByMetadataName("CodeMigrations.AllowUnsafeAttribute"))
            : null;

    public bool IsMigration(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, Migration))
                return true;
        }

        return false;
    }

    public AttributeData? MigrationAttributeOf(INamedTypeSymbol type) => Find(type, MigrationAttribute);

    public bool HasAttribute(INamedTypeSymbol type, INamedTypeSymbol? attribute) => attribute is not null && Find(type, attribute) is not null;

    /// <summary>Whether the class's [Migration] leaves UseTransaction at true.</summary>
    public bool UsesTransaction(INamedTypeSymbol type)
    {
        if (MigrationAttributeOf(type) is not { } attribute)
            return true;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "UseTransaction" && argument.Value.Value is bool value)
                return value;
        }

        return true;
    }

    /// <summary>The rule ids the class suppresses with [AllowUnsafe].</summary>
    public HashSet<string> AllowedRules(INamedTypeSymbol type)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        if (AllowUnsafe is null)
            return rules;
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, AllowUnsafe)
                && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static AttributeData? Find(INamedTypeSymbol type, INamedTypeSymbol attributeClass)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
                return attribute;
        }

        return null;
    }
}
