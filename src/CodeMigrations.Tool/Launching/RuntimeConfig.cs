namespace CodeMigrations.Tool.Launching;

/// <summary>
/// The <c>.runtimeconfig.json</c> the host process starts with: the app's own when the assembly is an app (a web app
/// brings ASP.NET Core that way), else, for a class library, which has none, one written to a temporary folder that
/// asks for the .NET runtime this tool runs on. Disposing deletes what was written.
/// </summary>
internal sealed class RuntimeConfig : IDisposable
{
    private readonly string? _temporaryFolder;

    private RuntimeConfig(string path, string? temporaryFolder)
    {
        Path = path;
        _temporaryFolder = temporaryFolder;
    }

    public string Path { get; }

    /// <summary>Whether this one was written by the tool (the assembly is a class library).</summary>
    public bool Generated => _temporaryFolder is not null;

    public static RuntimeConfig For(MigrationsAssembly assembly)
    {
        if (assembly.RuntimeConfig is { } own)
            return new RuntimeConfig(own, null);

        var folder = Directory.CreateTempSubdirectory("codemigrations-").FullName;
        var path = System.IO.Path.Combine(folder, assembly.Name + ".runtimeconfig.json");
        var runtime = Environment.Version;
        File.WriteAllText(path, $$"""
            {
              "runtimeOptions": {
                "tfm": "net{{runtime.Major}}.{{runtime.Minor}}",
                "framework": {
                  "name": "Microsoft.NETCore.App",
                  "version": "{{runtime.ToString(3)}}"
                }
              }
            }
            """);
        return new RuntimeConfig(path, folder);
    }

    public void Dispose()
    {
        if (_temporaryFolder is null)
            return;
        try
        {
            Directory.Delete(_temporaryFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover in the temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
