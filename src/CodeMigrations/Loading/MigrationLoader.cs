using System.Reflection;
using CodeMigrations.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Loading;

/// <summary>
/// Finds migration classes in assemblies, validates the set and orders it by version. Reads attributes only: no
/// migration is created here, and where the assembly's metadata can be read no migration class is even loaded.
/// </summary>
public static class MigrationLoader
{
    /// <summary>Loads and validates the migrations of <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">Where to look.</param>
    /// <param name="filter">Keeps only the types it accepts; <see langword="null"/> keeps all.</param>
    /// <param name="isService">Tells whether a constructor parameter can be resolved; <see langword="null"/> skips that check.</param>
    /// <exception cref="InvalidMigrationSetException">Lists every problem found, naming the classes.</exception>
    public static MigrationCatalog Load(IEnumerable<Assembly> assemblies, Func<Type, bool>? filter, IServiceProviderIsService? isService) =>
        Load(assemblies, filter, isService, readMetadata: true);

    /// <param name="assemblies">Where to look.</param>
    /// <param name="filter">Keeps only the types it accepts; <see langword="null"/> keeps all.</param>
    /// <param name="isService">Tells whether a constructor parameter can be resolved; <see langword="null"/> skips that check.</param>
    /// <param name="readMetadata">
    /// Read the attributes from the assemblies' metadata without loading the types (the default); <see langword="false"/>
    /// reads every type by reflection, which tests compare against.
    /// </param>
    public static MigrationCatalog Load(IEnumerable<Assembly> assemblies, Func<Type, bool>? filter, IServiceProviderIsService? isService, bool readMetadata)
    {
        var problems = new List<string>();
        var found = new List<MigrationInfo>();

        foreach (var candidate in assemblies.Distinct().SelectMany(a => FindCandidates(a, filter, readMetadata)))
        {
            var attribute = candidate.Attribute;
            var isMigration = candidate.IsMigration;
            if (attribute is null)
            {
                if (isMigration && !candidate.IsAbstract)
                    problems.Add($"{candidate.FullName} derives from Migration but has no [Migration(version)] attribute: add one, or make the class abstract if it is a base class.");
                continue;
            }

            if (!isMigration)
            {
                problems.Add($"{candidate.FullName} has [Migration({attribute.Version})] but does not derive from CodeMigrations.Migration.");
                continue;
            }

            if (candidate.IsAbstract || candidate.ContainsGenericParameters)
            {
                problems.Add($"{candidate.FullName} has [Migration({attribute.Version})] but is {(candidate.IsAbstract ? "abstract" : "an open generic type")}, so it can never run: make it a concrete class.");
                continue;
            }

            if (attribute.Version <= 0)
                problems.Add($"{candidate.FullName} has version {attribute.Version}: a version must be a positive number (by convention yyyyMMddHHmmss).");

            AddTimeoutProblem(problems, candidate, "DdlLockTimeout", attribute.DdlLockTimeout);
            AddTimeoutProblem(problems, candidate, "StatementTimeout", attribute.StatementTimeout);

            if (candidate.FindConstructionProblem(isService) is { } constructionProblem)
                problems.Add($"{candidate.FullName} cannot be constructed: {constructionProblem}");

            found.Add(candidate.CreateInfo(attribute, attribute.Description ?? DescribeClassName(candidate.Name), candidate.ReadIrreversibleReason()));
        }

        var ordered = found.ToArray();
        Array.Sort(ordered, (a, b) => a.Version.CompareTo(b.Version));
        if (HasDuplicateVersions(ordered))
        {
            // Reported in the order the classes were found, as ever.
            foreach (var duplicate in found.GroupBy(m => m.Version).Where(g => g.Count() > 1))
            {
                var classes = string.Join(", ", duplicate.Select(m => m.TypeFullName).Order(StringComparer.Ordinal));
                problems.Add($"Version {duplicate.Key} is used by {duplicate.Count()} classes ({classes}): every migration needs its own version.");
            }
        }

        if (problems.Count > 0)
            throw new InvalidMigrationSetException(problems);

        return new MigrationCatalog(ordered);
    }

    /// <summary>"CreateUsersTable" becomes "Create users table"; underscores become spaces.</summary>
    internal static string DescribeClassName(string className)
    {
        // Called once per migration while loading, so no StringBuilder: at most one space is added before each letter.
        var text = className.Length <= 256 ? stackalloc char[className.Length * 2] : new char[className.Length * 2];
        var length = 0;
        for (var i = 0; i < className.Length; i++)
        {
            var c = className[i];
            if (c == '_')
            {
                if (length > 0 && text[length - 1] != ' ')
                    text[length++] = ' ';
                continue;
            }

            var startsWord = i > 0 && char.IsUpper(c)
                && (char.IsLower(className[i - 1]) || (i + 1 < className.Length && char.IsLower(className[i + 1]) && char.IsUpper(className[i - 1])));
            if (startsWord && length > 0 && text[length - 1] != ' ')
                text[length++] = ' ';
            // Keep acronyms (SQL, URL) as they are; lower the first letter of ordinary words after the first.
            var isAcronymLetter = char.IsUpper(c) && ((i + 1 < className.Length && char.IsUpper(className[i + 1])) || (i > 0 && char.IsUpper(className[i - 1]) && (i + 1 == className.Length || !char.IsLower(className[i + 1]))));
            var lower = length > 0 && !isAcronymLetter;
            text[length++] = lower ? char.ToLowerInvariant(c) : c;
        }

        var description = text[..length].Trim();
        return description.SequenceEqual(className) ? className : new string(description);
    }

    private static void AddTimeoutProblem(List<string> problems, MigrationCandidate candidate, string property, string? value)
    {
        if (value is not null && !MigrationTimeouts.IsValidInterval(value))
            problems.Add($"{candidate.FullName} has {property} = \"{value}\": {MigrationTimeouts.IntervalRule}.");
    }

    private static bool HasDuplicateVersions(MigrationInfo[] ordered)
    {
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
                return true;
        }

        return false;
    }

    private static IEnumerable<MigrationCandidate> FindCandidates(Assembly assembly, Func<Type, bool>? filter, bool readMetadata) =>
        (readMetadata ? MetadataMigrationScanner.TryScan(assembly, filter) : null) ?? ReflectionMigrationCandidate.All(assembly, filter);
}
