using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Loading;

/// <summary>
/// What the loader needs to know of one type that may be a migration: its names, its <see cref="MigrationAttribute"/>,
/// whether it is a concrete <see cref="Migration"/>, and whether it can be constructed. Read from the assembly's
/// metadata where possible (<see cref="MetadataMigrationScanner"/>), else by reflection.
/// </summary>
internal abstract class MigrationCandidate
{
    public abstract string FullName { get; }

    public abstract string Name { get; }

    /// <summary>The <see cref="MigrationAttribute"/>'s values, or <see langword="null"/> when the type has none.</summary>
    public abstract MigrationAttributeValues? Attribute { get; }

    /// <summary>Whether the type derives from <see cref="Migration"/>.</summary>
    public abstract bool IsMigration { get; }

    public abstract bool IsAbstract { get; }

    public abstract bool ContainsGenericParameters { get; }

    /// <summary>The <see cref="IrreversibleAttribute"/>'s reason, or <see langword="null"/>.</summary>
    public abstract string? ReadIrreversibleReason();

    /// <summary>Why the type cannot be constructed, or <see langword="null"/> when it can.</summary>
    public abstract string? FindConstructionProblem(IServiceProviderIsService? isService);

    /// <summary>The loader's description of the migration; a candidate read from metadata leaves its type unloaded until asked.</summary>
    public abstract MigrationInfo CreateInfo(MigrationAttributeValues attribute, string name, string? irreversibleReason);
}

/// <summary>The values of a <see cref="MigrationAttribute"/>.</summary>
internal sealed record MigrationAttributeValues(long Version, string? Description, bool UseTransaction, string? DdlLockTimeout, string? StatementTimeout,
    int DdlLockRetries = -1)
{
    public static MigrationAttributeValues From(MigrationAttribute attribute) =>
        new(attribute.Version, attribute.Description, attribute.UseTransaction, attribute.DdlLockTimeout, attribute.StatementTimeout, attribute.DdlLockRetries);
}

/// <summary>A candidate read by reflection from its loaded <see cref="System.Type"/>.</summary>
internal sealed class ReflectionMigrationCandidate(Type type) : MigrationCandidate
{
    private MigrationAttributeValues? _attribute;
    private bool _attributeRead;

    public Type Type { get; } = type;

    public override string FullName => Type.FullName!;

    public override string Name => Type.Name;

    public override MigrationAttributeValues? Attribute
    {
        get
        {
            if (!_attributeRead)
            {
                _attribute = Type.GetCustomAttribute<MigrationAttribute>(inherit: false) is { } attribute ? MigrationAttributeValues.From(attribute) : null;
                _attributeRead = true;
            }

            return _attribute;
        }
    }

    public override bool IsMigration => Type.IsSubclassOf(typeof(Migration));

    public override bool IsAbstract => Type.IsAbstract;

    public override bool ContainsGenericParameters => Type.ContainsGenericParameters;

    public override string? ReadIrreversibleReason() => Type.GetCustomAttribute<IrreversibleAttribute>(inherit: false)?.Reason;

    public override string? FindConstructionProblem(IServiceProviderIsService? isService)
    {
        var constructors = Type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        if (constructors.Length == 0)
            return "it has no public constructor.";
        if (isService is null)
            return null;

        string? firstProblem = null;
        foreach (var constructor in constructors)
        {
            var unresolved = constructor.GetParameters()
                .Where(p => !p.HasDefaultValue && !isService.IsService(p.ParameterType))
                .Select(p => $"{p.ParameterType.Name} {p.Name}")
                .ToList();
            if (unresolved.Count == 0)
                return null;
            firstProblem ??= $"no service is registered for constructor parameter{(unresolved.Count > 1 ? "s" : "")} {string.Join(", ", unresolved)}; register {(unresolved.Count > 1 ? "them" : "it")} in the service collection " +
                $"(for the codemigrations tool: in a public class of the assembly that implements {nameof(IMigrationServices)}).";
        }

        return firstProblem;
    }

    public override MigrationInfo CreateInfo(MigrationAttributeValues attribute, string name, string? irreversibleReason) =>
        new(attribute.Version, name, Type, attribute.UseTransaction)
        {
            IrreversibleReason = irreversibleReason,
            DdlLockTimeout = attribute.DdlLockTimeout,
            StatementTimeout = attribute.StatementTimeout,
            DdlLockRetries = attribute.DdlLockRetries >= 0 ? attribute.DdlLockRetries : null,
        };

    /// <summary>Every type of <paramref name="assembly"/> that loads, as candidates.</summary>
    public static IEnumerable<MigrationCandidate> All(Assembly assembly, Func<Type, bool>? filter) =>
        GetLoadableTypes(assembly).Where(t => filter is null || filter(t)).Select(t => new ReflectionMigrationCandidate(t));

    private static IEnumerable<Type> GetLoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null)!;
        }
    }
}
