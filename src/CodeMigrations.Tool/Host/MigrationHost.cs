using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using CodeMigrations.Cli;

namespace CodeMigrations.Tool.Host;

/// <summary>
/// The tool's second role, in the process the launcher starts with the user's dependencies: loads the user's assembly
/// (there, not in the launcher) and hands it, with its <see cref="IMigrationServices"/> registration, to
/// <see cref="MigrationCli"/>, which does everything else: verbs, options, output and exit codes are the console
/// host's own.
/// </summary>
internal static class MigrationHost
{
    /// <summary>The first argument that makes this assembly the host; the assembly's path follows it.</summary>
    public const string Marker = "--host-for";

    public static Task<int> RunAsync(string assemblyPath, string[] args)
    {
        // First of all: the runtime may look for CodeMigrations.Cli as soon as a method that uses it is compiled.
        ToolAssemblyResolver.Install(Path.GetDirectoryName(typeof(MigrationHost).Assembly.Location)!);
        return RunCliAsync(assemblyPath, args);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> RunCliAsync(string assemblyPath, string[] args)
    {
        var console = ToolConsole.FromSystemConsole();
        MigrationCliOptions options;
        try
        {
            var assembly = Load(assemblyPath);
            options = new MigrationCliOptions
            {
                Assemblies = { assembly },
                ConfigureServices = MigrationServicesConvention.Find(assembly),
                ProgramName = ToolInfo.CommandName,
                Description = ToolInfo.Description,
            };
        }
        catch (ToolUsageException e)
        {
            console.WriteError(e.Message);
            return MigrationExitCode.Usage;
        }

        return await MigrationCli.RunAsync(args, options);
    }

    /// <summary>The user's assembly, in the default context, where its dependencies are.</summary>
    /// <exception cref="ToolUsageException">It, or the CodeMigrations its dependencies name, cannot be loaded.</exception>
    private static Assembly Load(string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            // Before the user's types: their CodeMigrations must be the one the build recorded, found where it was restored.
            AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("CodeMigrations"));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            var folders = AppContext.GetData("PROBING_DIRECTORIES") as string;
            throw new ToolUsageException(
                $"Could not load the CodeMigrations assembly that {Path.ChangeExtension(name, ".deps.json")} names ({e.Message}), looking in {folders}: " +
                "restore the project (dotnet restore), or set NUGET_PACKAGES to the package folder it restored into.", e);
        }

        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new ToolUsageException($"Could not load {name}: {e.Message} Rebuild it (dotnet build) and run the command again.", e);
        }
    }
}
