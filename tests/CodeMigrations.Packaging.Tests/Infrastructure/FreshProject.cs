using System.Security;
using System.Text;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// A new project made by <c>dotnet new</c> in a temporary folder outside the repository, set up to consume the packed
/// packages as a user would: its own <c>nuget.config</c> (the packed folder for <c>CodeMigrations*</c>, the machine's
/// sources for everything else, with package source mapping) and its own package folder, so that a package of the same
/// id and version left in the machine's NuGet cache by an earlier run can never stand in for the one just packed.
/// </summary>
public sealed class FreshProject : IAsyncDisposable
{
    /// <summary>The key of the packed folder in the project's <c>nuget.config</c>.</summary>
    public const string PackedSourceKey = "codemigrations-packed";

    private static Task<IReadOnlyList<string>>? _machineSources;

    private readonly string _root;

    private FreshProject(string root, string directory, string packagesFolder)
    {
        _root = root;
        Directory = directory;
        PackagesFolder = packagesFolder;
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["NUGET_PACKAGES"] = packagesFolder,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // Build nodes left behind would outlive the test with this project's environment.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            // Only what a test sets on purpose reaches the programs it builds.
            ["CODEMIGRATIONS_CONNECTION"] = null,
        };
    }

    /// <summary>The project's folder: where <c>dotnet new</c> wrote it and where every command runs.</summary>
    public string Directory { get; }

    /// <summary>The project's own NuGet package folder (<c>NUGET_PACKAGES</c> of every command run here).</summary>
    public string PackagesFolder { get; }

    /// <summary>The environment every command run here gets on top of the test's; a null value removes a variable.</summary>
    public IDictionary<string, string?> Environment { get; }

    /// <summary>How long one command may run before it is killed and the test fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <c>dotnet new <paramref name="template"/></c> (without restoring) into a new temporary folder, and writes its
    /// <c>nuget.config</c>. Needs the packages packed: it runs inside the <see cref="PackedPackages"/> set-up fixture.
    /// </summary>
    /// <param name="name">The project's name (and its folder's).</param>
    /// <param name="template">A <c>dotnet new</c> template short name.</param>
    public static async Task<FreshProject> CreateAsync(string name, string template = "console")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var root = Path.Combine(Path.GetTempPath(), "codemigrations-fresh-" + Guid.NewGuid().ToString("N")[..12]);
        if (IsInside(root, PackedPackages.RepositoryRoot))
            throw new InvalidOperationException($"The temporary folder {root} is inside the repository, whose Directory.Build.props would apply: set TMPDIR elsewhere.");

        var project = new FreshProject(root, Path.Combine(root, name), Path.Combine(root, "packages"));
        try
        {
            System.IO.Directory.CreateDirectory(project.Directory);
            System.IO.Directory.CreateDirectory(project.PackagesFolder);
            var sources = await (_machineSources ??= MachineSourcesAsync(project.Directory));
            await File.WriteAllTextAsync(Path.Combine(project.Directory, "nuget.config"), NuGetConfig(PackedPackages.Folder, sources));
            var created = await project.DotnetAsync("new", template, "--name", name, "--output", ".", "--no-restore");
            if (!created.Succeeded)
                throw new InvalidOperationException($"`dotnet new {template}` failed: {created}");
            return project;
        }
        catch
        {
            await project.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="fileName"/> in <see cref="Directory"/> with this project's <see cref="Environment"/>.</summary>
    public Task<ProcessResult> RunAsync(string fileName, params string[] args) =>
        CommandRunner.RunAsync(fileName, args, Directory, Environment.AsReadOnly(), Timeout);

    /// <summary>Runs the test's own <c>dotnet</c> with <paramref name="args"/>, as <see cref="RunAsync"/> does.</summary>
    public Task<ProcessResult> DotnetAsync(params string[] args) => RunAsync(CommandRunner.Dotnet, args);

    /// <summary>Deletes the project and its package folder.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The package sources this machine's configuration enables (read before the project's own <c>nuget.config</c> exists),
    /// nuget.org when it names none. Listed once per test run.
    /// </summary>
    private static async Task<IReadOnlyList<string>> MachineSourcesAsync(string emptyFolder)
    {
        var listed = await CommandRunner.RunAsync(CommandRunner.Dotnet, ["nuget", "list", "source", "--format", "Short"], emptyFolder,
            new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, TimeSpan.FromMinutes(1));
        if (!listed.Succeeded)
            throw new InvalidOperationException($"Could not list this machine's NuGet sources: {listed}");
        var sources = listed.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();
        return sources.Count > 0 ? sources : ["https://api.nuget.org/v3/index.json"];
    }

    /// <summary>
    /// Only the packed folder may provide <c>CodeMigrations*</c> (the most specific pattern wins), the machine's sources
    /// the rest: this works whether or not the machine's own configuration maps sources.
    /// </summary>
    private static string NuGetConfig(string packedFolder, IReadOnlyList<string> machineSources)
    {
        var config = new StringBuilder();
        config.Append("""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />

            """);
        config.Append($"    <add key=\"{PackedSourceKey}\" value=\"{SecurityElement.Escape(packedFolder)}\" />\n");
        for (var i = 0; i < machineSources.Count; i++)
            config.Append($"    <add key=\"{SourceKey(machineSources, i)}\" value=\"{SecurityElement.Escape(machineSources[i])}\" />\n");
        config.Append("""
              </packageSources>
              <packageSourceMapping>
                <clear />

            """);
        config.Append($"    <packageSource key=\"{PackedSourceKey}\"><package pattern=\"CodeMigrations*\" /></packageSource>\n");
        for (var i = 0; i < machineSources.Count; i++)
            config.Append($"    <packageSource key=\"{SourceKey(machineSources, i)}\"><package pattern=\"*\" /></packageSource>\n");
        config.Append("""
              </packageSourceMapping>
            </configuration>

            """);
        return config.ToString();
    }

    private static string SourceKey(IReadOnlyList<string> sources, int index) =>
        sources[index].Contains("api.nuget.org", StringComparison.OrdinalIgnoreCase) ? "nuget.org" : $"machine-source-{index + 1}";

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
