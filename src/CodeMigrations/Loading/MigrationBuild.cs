using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace CodeMigrations.Loading;

/// <summary>
/// The identity of the code that describes a set of migrations: the module version ids (MVIDs) of the migration
/// assemblies, of the assemblies they reference directly (helpers an Up may call; Microsoft's own are left out), and of
/// CodeMigrations itself (which computes the checksums), plus the versions and classes of the loaded set. A build
/// changes every MVID it recompiles, so any change to an Up gives another identity. Pure, and cheap: it reads metadata
/// already loaded, creates no migration.
/// </summary>
internal static class MigrationBuild
{
    // Microsoft's public key tokens (the framework and Microsoft.Extensions): their code does not describe migrations.
    private static readonly HashSet<string> MicrosoftKeys = new(StringComparer.Ordinal)
    {
        "b03f5f7f11d50a3a", "b77a5c561934e089", "cc7b13ffcd2ddd51", "7cec85d7bea7798e", "adb9793829ddae60", "31bf3856ad364e35",
    };

    // A process never changes the assemblies it loaded: a catalog shared by many runs (a fleet's targets) is identified once.
    private static readonly ConditionalWeakTable<MigrationCatalog, Tuple<Assembly[], string>> Identified = new();

    /// <summary>The identity of the build that describes <paramref name="catalog"/>, loaded from <paramref name="assemblies"/>.</summary>
    public static string Identify(MigrationCatalog catalog, IEnumerable<Assembly> assemblies)
    {
        var from = assemblies.ToArray();
        if (Identified.TryGetValue(catalog, out var known) && known.Item1.SequenceEqual(from))
            return known.Item2;
        var identity = Compute(catalog, from);
        Identified.AddOrUpdate(catalog, Tuple.Create(from, identity));
        return identity;
    }

    private static string Compute(MigrationCatalog catalog, Assembly[] assemblies)
    {
        var modules = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(Assembly assembly) =>
            modules[assembly.GetName().Name ?? assembly.FullName ?? "?"] = assembly.ManifestModule.ModuleVersionId.ToString("N");

        Add(typeof(MigrationBuild).Assembly);
        foreach (var assembly in assemblies)
        {
            Add(assembly);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not { } name || modules.ContainsKey(name) || IsMicrosoft(reference))
                    continue;
                try
                {
                    Add(Assembly.Load(reference));
                }
                catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // Not loadable here: it cannot take part in describing a migration either; its name and version do.
                    modules[name] = reference.Version?.ToString() ?? "?";
                }
            }
        }

        var identity = new StringBuilder();
        foreach (var (name, mvid) in modules)
            identity.Append(name).Append(' ').Append(mvid).Append(';');
        return identity.Append(" set ").Append(SetHash(catalog).ToString("x16", CultureInfo.InvariantCulture)).ToString();
    }

    private static bool IsMicrosoft(AssemblyName reference) =>
        reference.GetPublicKeyToken() is { Length: 8 } token && MicrosoftKeys.Contains(Convert.ToHexStringLower(token));

    // FNV-1a over the versions and class names: the same assemblies filtered differently are another set.
    private static ulong SetHash(MigrationCatalog catalog)
    {
        var hash = 14695981039346656037UL;
        foreach (var migration in catalog.Migrations)
        {
            foreach (var c in string.Create(CultureInfo.InvariantCulture, $"{migration.Version} {migration.TypeFullName};"))
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
        }

        return hash;
    }
}
