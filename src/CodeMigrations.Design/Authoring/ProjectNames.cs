using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace CodeMigrations.Authoring;

/// <summary>
/// C# names for the files <c>new</c> and <c>import</c> write: the keywords a class cannot be named, folder names made
/// identifiers, and a folder's namespace as the IDE gives it (the nearest project's root namespace, then the folders
/// below it).
/// </summary>
internal static class ProjectNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal",
        "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for",
        "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
        "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte",
        "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Whether <paramref name="name"/> is a C# keyword, which no class can be named.</summary>
    public static bool IsKeyword(string name) => Keywords.Contains(name);

    /// <summary>A folder or file name as an identifier: other characters become <c>_</c>, a leading digit gets one before it.</summary>
    public static string Sanitize(string part)
    {
        var cleaned = Regex.Replace(part, "[^A-Za-z0-9_]", "_");
        return cleaned.Length > 0 && char.IsDigit(cleaned[0]) ? "_" + cleaned : cleaned;
    }

    /// <summary>The nearest <c>.csproj</c> in <paramref name="directory"/> or above it, and the folders from it down to <paramref name="directory"/>.</summary>
    public static (string? Project, List<string> Folders) FindProject(string directory)
    {
        var folders = new List<string>();
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (current.Exists && current.GetFiles("*.csproj").OrderBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault() is { } project)
            {
                folders.Reverse();
                return (project.FullName, folders);
            }

            folders.Add(current.Name);
        }

        return (null, []);
    }

    /// <summary>The namespace of <paramref name="folders"/> below <paramref name="project"/>: <c>MyApp.Data.Migrations</c>.</summary>
    public static string Namespace(string project, IEnumerable<string> folders) =>
        string.Join('.', new[] { RootNamespace(project) }.Concat(folders.Select(Sanitize)));

    private static string RootNamespace(string project)
    {
        try
        {
            var declared = XDocument.Load(project).Descendants().FirstOrDefault(e => e.Name.LocalName == "RootNamespace")?.Value;
            if (!string.IsNullOrWhiteSpace(declared))
                return declared.Trim();
        }
        catch (XmlException)
        {
            // An unreadable project file: fall back to its name, as MSBuild does.
        }

        return string.Join('.', Path.GetFileNameWithoutExtension(project).Split('.').Select(Sanitize));
    }
}
