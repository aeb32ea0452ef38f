using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CodeMigrations.Tool.Launching;

/// <summary>What a build of the user's project produced: the assembly, and the package folder it restored into.</summary>
internal sealed record BuiltProject(string TargetPath, string? PackageFolder);

/// <summary>
/// Finds the user's project and builds it with <c>dotnet build</c>, which restores it too, quietly: its output is shown
/// only when it fails. The same command reports where the assembly is (<c>TargetPath</c>) and where its packages are
/// (<c>NuGetPackageRoot</c>), saving the second MSBuild evaluation that <c>dotnet msbuild -getProperty</c> would cost.
/// </summary>
internal sealed class ProjectBuilder
{
    private readonly string _dotnet;
    private readonly ToolConsole _console;

    public ProjectBuilder(string dotnet, ToolConsole console)
    {
        _dotnet = dotnet;
        _console = console;
    }

    /// <summary>
    /// The project file <paramref name="path"/> names: the file itself, or the one .csproj in that folder; with no
    /// path, the one .csproj in <paramref name="currentDirectory"/>.
    /// </summary>
    /// <exception cref="ToolUsageException">No such project, or more than one to choose from.</exception>
    public static string Find(string? path, string currentDirectory)
    {
        if (path is null)
        {
            return SingleProjectIn(currentDirectory) ?? throw new ToolUsageException(
                $"Where are the migrations? Give --assembly PATH.dll (a built assembly) or --project PATH.csproj (built first); " +
                $"without either, the tool uses the one .csproj in the current folder, and {currentDirectory} has none. Run '{ToolInfo.CommandName} --help' for the usage.");
        }

        var fullPath = Path.GetFullPath(path, currentDirectory);
        if (Directory.Exists(fullPath))
            return SingleProjectIn(fullPath) ?? throw new ToolUsageException($"{fullPath} holds no .csproj: give --project the project file, or its folder.");
        if (!File.Exists(fullPath))
            throw new ToolUsageException($"The project {fullPath} does not exist: give --project a .csproj file, or a folder with one.");
        if (fullPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            throw new ToolUsageException($"--project takes a project (.csproj) or its folder; for a built assembly, use --assembly {path}.");
        return fullPath;
    }

    /// <summary>Builds the project and says where its assembly is.</summary>
    /// <exception cref="ToolUsageException">The build failed (its output has been written to standard error), or built no single assembly.</exception>
    public async Task<BuiltProject> BuildAsync(string project, string? configuration, string? framework, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", project, "-t:Build", "-nologo", "-getProperty:TargetPath", "-getProperty:NuGetPackageRoot" })
            start.ArgumentList.Add(argument);
        if (configuration is not null)
        {
            start.ArgumentList.Add("--configuration");
            start.ArgumentList.Add(configuration);
        }

        if (framework is not null)
        {
            start.ArgumentList.Add("--framework");
            start.ArgumentList.Add(framework);
        }

        var (exitCode, output, error) = await RunAsync(start, cancellationToken);
        var name = Path.GetFileName(project);
        if (exitCode != 0)
        {
            _console.WriteNote((error.Trim().Length > 0 ? error : output).TrimEnd());
            throw new ToolUsageException($"Building {name} failed (dotnet build exited with {exitCode}): fix the errors above, then run the command again.");
        }

        var properties = ReadProperties(output, name);
        var targetPath = properties.GetValueOrDefault("TargetPath");
        if (string.IsNullOrEmpty(targetPath))
        {
            throw new ToolUsageException(
                $"{name} builds for several target frameworks: choose the one to run with --framework (for example --framework net10.0).");
        }

        var packages = properties.GetValueOrDefault("NuGetPackageRoot");
        return new BuiltProject(targetPath, string.IsNullOrEmpty(packages) ? null : packages);
    }

    private static string? SingleProjectIn(string folder)
    {
        var projects = Directory.EnumerateFiles(folder, "*.csproj", SearchOption.TopDirectoryOnly).Take(2).ToList();
        return projects.Count switch
        {
            0 => null,
            1 => projects[0],
            _ => throw new ToolUsageException(
                $"{folder} holds several .csproj ({string.Join(", ", projects.Select(Path.GetFileName))}...): name the one with the migrations with --project PATH.csproj."),
        };
    }

    private static Dictionary<string, string> ReadProperties(string output, string project)
    {
        // With two -getProperty, MSBuild prints { "Properties": { "TargetPath": "...", ... } } and nothing else.
        var json = output.IndexOf('{', StringComparison.Ordinal) is var first and >= 0 ? output[first..] : output;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("Properties").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ToolUsageException($"dotnet build did not say where it built {project}'s assembly (unexpected output: {output.Trim()}): pass the built assembly with --assembly instead.", e);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ToolUsageException($"Could not run {start.FileName} to build the project: {e.Message}. Install the .NET SDK, or pass a built assembly with --assembly.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit(); // the last lines of output
        lock (output)
        {
            lock (error)
                return (process.ExitCode, output.ToString(), error.ToString());
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.Append(line).Append('\n');
    }
}
