using System.Runtime.CompilerServices;
using CodeMigrations.Importing;

namespace CodeMigrations.Tests.Importing;

/// <summary>The fixture folders next to this file (one per format), and throwaway folders to write into.</summary>
internal static class ImportFixtures
{
    public static string Root { get; } = FindRoot();

    public static string For(MigrationSourceFormat format) => Path.Combine(Root, MigrationSourceFormats.NameOf(format));

    /// <summary>A new empty folder under the temporary folder; deleted on dispose.</summary>
    public static TemporaryFolder CreateTemporaryFolder() => new(Path.Combine(Path.GetTempPath(), "codemigrations-import-" + Guid.NewGuid().ToString("N")[..10]));

    private static string FindRoot([CallerFilePath] string source = "")
    {
        // The source tree's fixtures; the test assembly's folder is below tests/CodeMigrations.Tests when the path was mapped.
        var beside = Path.Combine(Path.GetDirectoryName(source) ?? "", "Fixtures");
        if (Directory.Exists(beside))
            return beside;
        for (var current = new DirectoryInfo(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, "Importing", "Fixtures");
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new InvalidOperationException($"The import fixtures were not found beside {source} nor above {AppContext.BaseDirectory}.");
    }
}

internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    public string File(string relative, string? content = null)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (content is not null)
            System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file: the temporary folder is cleaned by the system eventually.
        }
    }
}
