using System.Diagnostics;
using CodeMigrations.Tool.Host;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// Starts the host: this tool's assembly, run by <c>dotnet exec</c> with the user's <c>.deps.json</c> (so the user's
/// CodeMigrations, Npgsql, Dapper and project references are the ones that load, from the build output and the NuGet
/// package folder), a runtime configuration, and the package folder to probe. The host shares this process's console:
/// its output, colours and exit code are the console host's own.
/// </summary>
internal sealed class HostProcess
{
    private readonly string _dotnet;
    private readonly ToolConsole _console;

    public HostProcess(string dotnet, ToolConsole console)
    {
        _dotnet = dotnet;
        _console = console;
    }

    /// <summary>This tool's own assembly, which <c>dotnet exec</c> runs as the host.</summary>
    public static string ToolAssembly => typeof(HostProcess).Assembly.Location;

    /// <summary>Runs the host until it exits and returns its exit code.</summary>
    public async Task<int> RunAsync(MigrationsAssembly assembly, RuntimeConfig runtimeConfig, string packageFolder, IReadOnlyList<string> hostArguments, bool verbose)
    {
        var start = new ProcessStartInfo(_dotnet) { UseShellExecute = false };
        foreach (var argument in Arguments(assembly, runtimeConfig, packageFolder, hostArguments))
            start.ArgumentList.Add(argument);
        if (verbose)
        {
            _console.WriteNote($"Migrations: {assembly.Path} (CodeMigrations {assembly.VersionOf(MigrationsAssembly.CorePackage)}); " +
                $"runtime configuration: {(runtimeConfig.Generated ? "written for a class library" : runtimeConfig.Path)}; packages: {packageFolder}");
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ToolUsageException($"Could not start {_dotnet} to run the migrations: {e.Message}.", e);
        }

        using (process)
        using (HostSignals.Forward(process))
        {
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }

    /// <summary>The <c>dotnet exec</c> command line, host options first, then the console host's arguments unchanged.</summary>
    internal static IEnumerable<string> Arguments(MigrationsAssembly assembly, RuntimeConfig runtimeConfig, string packageFolder, IReadOnlyList<string> hostArguments)
    {
        yield return "exec";
        yield return "--depsfile";
        yield return assembly.DepsFile;
        yield return "--runtimeconfig";
        yield return runtimeConfig.Path;
        yield return "--additionalprobingpath";
        yield return packageFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        yield return ToolAssembly;
        yield return MigrationHost.Marker;
        yield return assembly.Path;
        foreach (var argument in hostArguments)
            yield return argument;
    }
}
