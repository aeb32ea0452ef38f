using System.Reflection;
using System.Text;
using CodeMigrations.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Loading;

/// <summary>
/// Finds migration classes in assemblies by reflection, validates the set and orders it by version.
/// Reads attributes only: no migration is created here.
/// </summary>
internal static class MigrationLoader
{
    /// <summary>Loads and validates the migrations of <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">Where to look.</param>
    /// <param name="filter">Keeps only the types it accepts; <see langword="null"/> keeps all.</param>
    /// <param name="isService">Tells whether a constructor parameter can be resolved; <see langword="null"/> skips that check.</param>
    /// <exception cref="InvalidMigrationSetException">Lists every problem found, naming the classes.</exception>
    public static MigrationCatalog Load(IEnumerable<Assembly> assemblies, Func<Type, bool>? filter, IServiceProviderIsService? isService)
    {
        var problems = new List<string>();
        var found = new List<MigrationInfo>();

        foreach (var type in assemblies.Distinct().SelectMany(GetLoadableTypes).Where(t => filter is null || filter(t)))
        {
            var attribute = type.GetCustomAttribute<MigrationAttribute>(inherit: false);
            var isMigration = type.IsSubclassOf(typeof(Migration));
            if (attribute is null)
            {
                if (isMigration && !type.IsAbstract)
                    problems.Add($"{type.FullName} derives from Migration but has no [Migration(version)] attribute: add one, or make the class abstract if it is a base class.");
                continue;
            }

            if (!isMigration)
            {
                problems.Add($"{type.FullName} has [Migration({attribute.Version})] but does not derive from CodeMigrations.Migration.");
                continue;
            }

            if (type.IsAbstract || type.ContainsGenericParameters)
            {
                problems.Add($"{type.FullName} has [Migration({attribute.Version})] but is {(type.IsAbstract ? "abstract" : "an open generic type")}, so it can never run: make it a concrete class.");
                continue;
            }

            if (attribute.Version <= 0)
                problems.Add($"{type.FullName} has version {attribute.Version}: a version must be a positive number (by convention yyyyMMddHHmmss).");

            foreach (var (property, value) in new[] { ("DdlLockTimeout", attribute.DdlLockTimeout), ("StatementTimeout", attribute.StatementTimeout) })
            {
                if (value is not null && !MigrationTimeouts.IsValidInterval(value))
                    problems.Add($"{type.FullName} has {property} = \"{value}\": use a number with a unit PostgreSQL understands, such as \"500ms\", \"5s\", \"10min\" or \"0\" for none.");
            }

            if (FindConstructionProblem(type, isService) is { } constructionProblem)
                problems.Add($"{type.FullName} cannot be constructed: {constructionProblem}");

            found.Add(new MigrationInfo(attribute.Version, attribute.Description ?? DescribeClassName(type.Name), type, attribute.UseTransaction)
            {
                IrreversibleReason = type.GetCustomAttribute<IrreversibleAttribute>(inherit: false)?.Reason,
                DdlLockTimeout = attribute.DdlLockTimeout,
                StatementTimeout = attribute.StatementTimeout,
            });
        }

        foreach (var duplicate in found.GroupBy(m => m.Version).Where(g => g.Count() > 1))
        {
            var classes = string.Join(", ", duplicate.Select(m => m.Type.FullName).Order(StringComparer.Ordinal));
            problems.Add($"Version {duplicate.Key} is used by {duplicate.Count()} classes ({classes}): every migration needs its own version.");
        }

        if (problems.Count > 0)
            throw new InvalidMigrationSetException(problems);

        found.Sort((a, b) => a.Version.CompareTo(b.Version));
        return new MigrationCatalog(found);
    }

    /// <summary>"CreateUsersTable" becomes "Create users table"; underscores become spaces.</summary>
    internal static string DescribeClassName(string className)
    {
        var text = new StringBuilder(className.Length + 8);
        for (var i = 0; i < className.Length; i++)
        {
            var c = className[i];
            if (c == '_')
            {
                if (text.Length > 0 && text[^1] != ' ')
                    text.Append(' ');
                continue;
            }

            var startsWord = i > 0 && char.IsUpper(c)
                && (char.IsLower(className[i - 1]) || (i + 1 < className.Length && char.IsLower(className[i + 1]) && char.IsUpper(className[i - 1])));
            if (startsWord && text.Length > 0 && text[^1] != ' ')
                text.Append(' ');
            // Keep acronyms (SQL, URL) as they are; lower the first letter of ordinary words after the first.
            var isAcronymLetter = char.IsUpper(c) && ((i + 1 < className.Length && char.IsUpper(className[i + 1])) || (i > 0 && char.IsUpper(className[i - 1]) && (i + 1 == className.Length || !char.IsLower(className[i + 1]))));
            text.Append(text.Length > 0 && !isAcronymLetter ? char.ToLowerInvariant(c) : c);
        }

        return text.ToString().Trim();
    }

    private static string? FindConstructionProblem(Type type, IServiceProviderIsService? isService)
    {
        var constructors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
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
            firstProblem ??= $"no service is registered for constructor parameter{(unresolved.Count > 1 ? "s" : "")} {string.Join(", ", unresolved)}; register {(unresolved.Count > 1 ? "them" : "it")} in the service collection.";
        }

        return firstProblem;
    }

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
