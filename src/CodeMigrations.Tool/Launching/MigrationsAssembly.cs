using System.Text.Json;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// The user's built assembly as the launcher sees it, without loading it: its file, the <c>.deps.json</c> its build
/// wrote beside it (the dependencies the host process will run with), its <c>.runtimeconfig.json</c> when it is an
/// app, and the CodeMigrations packages it references.
/// </summary>
internal sealed class MigrationsAssembly
{
    public const string CorePackage = "CodeMigrations";
    public const string CliPackage = "CodeMigrations.Cli";

    private MigrationsAssembly(string path, string depsFile, IReadOnlyDictionary<string, string> libraries)
    {
        Path = path;
        DepsFile = depsFile;
        Libraries = libraries;
    }

    /// <summary>The assembly's full path.</summary>
    public string Path { get; }

    /// <summary>Its name, without directory or extension: how it is named in messages.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public string DepsFile { get; }

    /// <summary>Its <c>.runtimeconfig.json</c>, which only an app has; <see langword="null"/> for a class library.</summary>
    public string? RuntimeConfig => File.Exists(Beside(".runtimeconfig.json")) ? Beside(".runtimeconfig.json") : null;

    /// <summary>The libraries its deps file lists, package or project, by name (case-insensitive), with their version.</summary>
    public IReadOnlyDictionary<string, string> Libraries { get; }

    /// <summary>Reads the assembly's deps file.</summary>
    /// <exception cref="ToolUsageException">No such assembly, or no deps file beside it, or one that cannot be read.</exception>
    public static MigrationsAssembly Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(fullPath) || fullPath.EndsWith("proj", StringComparison.OrdinalIgnoreCase))
            throw new ToolUsageException($"--assembly takes the built .dll ({path} is a project or a folder): to build a project first, use --project {path}.");
        if (!File.Exists(fullPath))
        {
            throw new ToolUsageException(
                $"The assembly {fullPath} does not exist: build the project that holds the migrations (dotnet build), or let the tool build it with --project PATH.csproj.");
        }

        var depsFile = System.IO.Path.ChangeExtension(fullPath, ".deps.json");
        if (!File.Exists(depsFile))
        {
            throw new ToolUsageException(
                $"{System.IO.Path.GetFileName(depsFile)} is missing beside {fullPath}: the tool runs the migrations with the dependencies their build recorded there. " +
                "Pass the assembly from the project's own build output (bin/<configuration>/<framework>), built with dotnet build.");
        }

        return new MigrationsAssembly(fullPath, depsFile, ReadLibraries(depsFile));
    }

    /// <summary>The version of <paramref name="package"/> the assembly was built with; <see langword="null"/> when it does not use it.</summary>
    public string? VersionOf(string package) => Libraries.TryGetValue(package, out var version) ? version : null;

    private string Beside(string extension) => System.IO.Path.ChangeExtension(Path, extension);

    private static Dictionary<string, string> ReadLibraries(string depsFile)
    {
        try
        {
            using var stream = File.OpenRead(depsFile);
            using var document = JsonDocument.Parse(stream);
            var libraries = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.TryGetProperty("libraries", out var entries) && entries.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in entries.EnumerateObject())
                {
                    // "Name/Version"
                    var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
                    if (slash > 0)
                        libraries.TryAdd(entry.Name[..slash], entry.Name[(slash + 1)..]);
                }
            }

            return libraries;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ToolUsageException($"Could not read {depsFile}: {e.Message} Rebuild the project (dotnet build) to write it again.", e);
        }
    }
}
