using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodeMigrations.Loading;

namespace CodeMigrations.Authoring;

/// <summary>
/// Writes the file of a new migration: <c>DIR/yyyyMMddHHmmss_Name.cs</c> holding a class with
/// <c>[Migration(yyyyMMddHHmmss)]</c> (UTC now) and empty Up/Down, in the namespace of the nearest project and folder.
/// </summary>
public static partial class NewMigrationWriter
{
    /// <summary>Writes the file and returns its path and version.</summary>
    /// <exception cref="MigrationException">The name is not a C# identifier, the version or the file exists already.</exception>
    public static (string Path, long Version) Write(string name, string directory, DateTime utcNow, MigrationCatalog? existing)
    {
        if (!Identifier().IsMatch(name) || ProjectNames.IsKeyword(name))
        {
            throw new MigrationException(
                $"'{name}' is not a valid C# class name: use letters, digits and underscores, starting with a letter (e.g. AddEmailToUsers), and not a C# keyword.");
        }

        var version = long.Parse(utcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (existing?.Find(version) is { } taken)
            throw new MigrationException($"Version {version} is already used by {taken.TypeFullName}: wait a second and run 'new' again.");
        if (existing?.Migrations.FirstOrDefault(m => m.TypeName == name) is { } sameName)
            throw new MigrationException($"A migration class named {name} exists already ({sameName}): pick another name.");

        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{version}_{name}.cs");
        if (File.Exists(path))
            throw new MigrationException($"{path} exists already: nothing was written.");

        File.WriteAllText(path, Render(name, version, FindNamespace(directory)), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return (path, version);
    }

    internal static string Render(string name, long version, string? @namespace)
    {
        var text = new StringBuilder("using CodeMigrations;\n\n");
        if (@namespace is not null)
            text.Append("namespace ").Append(@namespace).Append(";\n\n");
        text.Append(CultureInfo.InvariantCulture, $$"""
            [Migration({{version}})]
            public sealed class {{name}} : Migration
            {
                public override void Up()
                {
                    // Execute("CREATE TABLE ...");
                }

                public override void Down()
                {
                    // Execute("DROP TABLE ..."); undo exactly what Up does.
                }
            }

            """);
        return text.ToString();
    }

    /// <summary>The nearest project's root namespace plus the folders below it: <c>MyApp.Migrations</c>.</summary>
    internal static string? FindNamespace(string directory) =>
        ProjectNames.FindProject(directory) is ({ } project, var folders) ? ProjectNames.Namespace(project, folders) : null;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
