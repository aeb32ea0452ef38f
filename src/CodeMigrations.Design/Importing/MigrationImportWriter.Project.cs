using System.Reflection;
using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CodeMigrations.Importing;

// The project around the imported classes: its .csproj (and whether it embeds the copied SQL), its Program.cs, the CLI it references.
public static partial class MigrationImportWriter
{
    private static string RenderProject(string @namespace, string? cliReference, string format)
    {
        var reference = cliReference is null
            ? "    <!-- Add the reference to CodeMigrations.Cli here: <ProjectReference Include=\"path/to/CodeMigrations.Cli.csproj\" /> or its package. -->\n"
            : $"    <ProjectReference Include=\"{XmlEscape(cliReference)}\" />\n";
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by 'import' from {XmlEscape(format)}: the console host of these migrations (see Program.cs). -->
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{TargetFramework()}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>{@namespace}</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <EmbeddedResource Include="{SqlFolder}/**/*.sql" />
              </ItemGroup>
              <ItemGroup>
            {reference}  </ItemGroup>
            </Project>

            """;
    }

    private static string RenderProgram() => """
        using CodeMigrations.Cli;

        // The console host of the imported migrations: up, down, status, and the other verbs (--help lists them).
        // The database: --connection "Host=...;Database=...;Username=..." or the environment variable CODEMIGRATIONS_CONNECTION.
        return await MigrationCli.RunAsync(args, typeof(Program).Assembly);

        """;

    /// <summary>Whether the project's <c>EmbeddedResource</c> items cover every copied file (globs as MSBuild reads them; imports are not followed).</summary>
    private static bool Embeds(string project, IEnumerable<string> files, List<string> warnings)
    {
        List<Regex> patterns;
        try
        {
            patterns = XDocument.Load(project).Descendants()
                .Where(e => e.Name.LocalName == "EmbeddedResource")
                .SelectMany(e => ((string?)e.Attribute("Include") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(Glob)
                .ToList();
        }
        catch (XmlException e)
        {
            warnings.Add($"{project} could not be read ({e.Message}): check that it embeds the copied .sql files.");
            return false;
        }

        return files.All(f => patterns.Any(p => p.IsMatch(f)));
    }

    private static Regex Glob(string pattern)
    {
        var text = new StringBuilder("^");
        var normalized = pattern.Replace('\\', '/');
        if (normalized.StartsWith("./", StringComparison.Ordinal))
            normalized = normalized[2..];
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] == '*' && i + 1 < normalized.Length && normalized[i + 1] == '*')
            {
                var slash = i + 2 < normalized.Length && normalized[i + 2] == '/';
                text.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                text.Append(normalized[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>The CodeMigrations.Cli project: the one given (a file or its folder), else one found above this program's files.</summary>
    private static string? FindCliProject(string? given, List<string> problems)
    {
        const string ProjectFile = "CodeMigrations.Cli.csproj";
        if (given is not null)
        {
            var path = Path.GetFullPath(given);
            if (Directory.Exists(path))
                path = Path.Combine(path, ProjectFile);
            if (File.Exists(path) && path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                return path;
            problems.Add($"--cli-project {given}: {path} is not a project file; give the path of {ProjectFile}.");
            return null;
        }

        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(MigrationImportWriter).Assembly.Location) };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var current = new DirectoryInfo(start!); current is not null; current = current.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(current.FullName, ProjectFile), Path.Combine(current.FullName, "src", "CodeMigrations.Cli", ProjectFile) })
                {
                    if (File.Exists(candidate))
                        return candidate;
                }
            }
        }

        return null;
    }

    private static string TargetFramework()
    {
        var name = typeof(MigrationImportWriter).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
        var version = name is null ? null : Regex.Match(name, @"Version=v(?<v>\d+\.\d+)", RegexOptions.CultureInvariant).Groups["v"].Value;
        return string.IsNullOrEmpty(version) ? $"net{Environment.Version.Major}.0" : $"net{version}";
    }

    private static string ProjectName(string output)
    {
        var name = Path.GetFileName(output);
        return string.IsNullOrWhiteSpace(name) ? "Migrations" : name;
    }
}
