using System.Reflection;
using System.Runtime.Loader;

namespace CodeMigrations.Tool.Host;

/// <summary>
/// In the host process, whose dependencies are the user's (their <c>.deps.json</c>), supplies from the tool's folder
/// what the tool brings and the user's project does not: CodeMigrations.Cli, System.CommandLine, the DI container.
/// The runtime asks only after the user's dependencies had no such assembly, so theirs always win, CodeMigrations
/// itself included; an assembly the user's dependencies list but that failed to load is not replaced by the tool's.
/// </summary>
internal static class ToolAssemblyResolver
{
    public static void Install(string toolFolder)
    {
        var listed = UserAssemblies();
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name is null || listed.Contains(name.Name))
                return null;
            var path = Path.Combine(toolFolder, name.CultureName is { Length: > 0 } culture ? culture : "", name.Name + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }

    /// <summary>The simple names of the assemblies the host was started with (the user's dependencies and the framework).</summary>
    private static HashSet<string> UserAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string paths)
        {
            foreach (var path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                names.Add(Path.GetFileNameWithoutExtension(path));
        }

        // This assembly is the host's entry point, loaded from the tool's folder.
        names.Remove(Assembly.GetExecutingAssembly().GetName().Name!);
        return names;
    }
}
