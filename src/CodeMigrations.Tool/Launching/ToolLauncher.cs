using CodeMigrations.Cli;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// The <c>codemigrations</c> command: reads where the migrations are, builds the project if asked to, checks the
/// assembly without loading it, and runs the host in its own process with the assembly's own dependencies, the way
/// <c>dotnet ef</c> does. Usage and the version are answered here, with no assembly. The tool's own errors are one
/// line on standard error and exit code 2; everything after that is the console host's.
/// </summary>
internal sealed class ToolLauncher
{
    private readonly ToolConsole _console;
    private readonly ProjectBuilder _builder;
    private readonly VersionCheck _versions;
    private readonly HostProcess _host;
    private readonly ToolUsage _usage;

    public ToolLauncher(ToolConsole console, ProjectBuilder builder, VersionCheck versions, HostProcess host, ToolUsage usage)
    {
        _console = console;
        _builder = builder;
        _versions = versions;
        _host = host;
        _usage = usage;
    }

    /// <summary>The launcher as installed: the system console, the <c>dotnet</c> that runs this tool.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var console = ToolConsole.FromSystemConsole();
        var dotnet = DotnetMuxer.Find();
        var launcher = new ToolLauncher(console, new ProjectBuilder(dotnet, console), VersionCheck.ForThisTool(), new HostProcess(dotnet, console), new ToolUsage());
        return launcher.RunAsync(args, Environment.CurrentDirectory);
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args, string currentDirectory)
    {
        try
        {
            var arguments = ToolArguments.Parse(args);
            if (arguments.AsksForUsage)
                return await _usage.RunAsync(arguments.HostArguments);

            string assemblyPath;
            string? packageFolder = null;
            if (arguments.Assembly is { } path)
            {
                assemblyPath = Path.GetFullPath(path, currentDirectory);
            }
            else
            {
                var project = ProjectBuilder.Find(arguments.Project, currentDirectory);
                if (arguments.Verbose)
                    _console.WriteNote($"Building {project}…");
                var built = await _builder.BuildAsync(project, arguments.Configuration, arguments.Framework, CancellationToken.None);
                (assemblyPath, packageFolder) = (built.TargetPath, built.PackageFolder);
            }

            var assembly = MigrationsAssembly.Open(assemblyPath);
            _versions.Verify(assembly);
            using var runtimeConfig = RuntimeConfig.For(assembly);
            return await _host.RunAsync(assembly, runtimeConfig, packageFolder ?? PackageFolder.Default(), arguments.HostArguments, arguments.Verbose);
        }
        catch (ToolUsageException e)
        {
            _console.WriteError(e.Message);
            return MigrationExitCode.Usage;
        }
    }
}
