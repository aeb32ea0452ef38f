using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using CodeMigrations.Sql;

namespace CodeMigrations.Scripts;

/// <summary>Reads SQL files embedded in a migration's assembly, whole or by their <c>-- Up</c> / <c>-- Down</c> (or dbmate's <c>-- migrate:up</c> / <c>-- migrate:down</c>) sections.</summary>
public static partial class MigrationScripts
{
    /// <summary>
    /// The text of the embedded resource called <paramref name="name"/>: its full manifest name, or a name that ends
    /// with <c>.</c> + <paramref name="name"/> (resources are named after the project's namespace and folders).
    /// </summary>
    /// <exception cref="MigrationScriptException">No resource or several match.</exception>
    public static string Read(Assembly assembly, string name, ScriptSection section)
    {
        var resource = Find(assembly, name);
        string text;
        using (var stream = assembly.GetManifestResourceStream(resource)!)
        using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            text = reader.ReadToEnd();
        return section == ScriptSection.Whole ? text : Section(text, section, resource);
    }

    /// <summary>Takes one section of a file marked with <c>-- Up</c> and <c>-- Down</c> comment lines.</summary>
    public static string Section(string text, ScriptSection section, string source)
    {
        var markers = Marker().Matches(text);
        var up = markers.FirstOrDefault(m => m.Groups["dir"].Value.Equals("up", StringComparison.OrdinalIgnoreCase));
        var down = markers.FirstOrDefault(m => m.Groups["dir"].Value.Equals("down", StringComparison.OrdinalIgnoreCase));
        var wanted = section == ScriptSection.Up ? up : down;
        if (wanted is null)
        {
            throw new MigrationScriptException(
                $"{source} has no '-- {section}' marker line: mark the sections with a line '-- Up' before the statements that apply the change and '-- Down' before those that revert it.");
        }

        var other = section == ScriptSection.Up ? down : up;
        var start = wanted.Index + wanted.Length;
        var end = other is not null && other.Index > wanted.Index ? other.Index : text.Length;
        var body = text[start..end];

        if (SqlScript.Split(body).Count == 0)
        {
            var commentedOut = body.Split('\n').Any(l => CommentedStatement().IsMatch(l));
            throw new MigrationScriptException(commentedOut
                ? $"The {section} section of {source} holds only commented-out statements. Uncomment them: CodeMigrations picks the direction to run, so both sections are live SQL."
                : $"The {section} section of {source} is empty: write the statements that {(section == ScriptSection.Up ? "apply" : "revert")} the change, or mark the migration [Irreversible(\"why\")].");
        }

        return body;
    }

    private static string Find(Assembly assembly, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var all = assembly.GetManifestResourceNames();
        var dotted = name.Replace('/', '.').Replace('\\', '.');
        var matches = all.Where(r => r == dotted).ToList();
        if (matches.Count == 0)
            matches = all.Where(r => r.EndsWith("." + dotted, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new MigrationScriptException(
                $"No embedded resource named '{name}' in {assembly.GetName().Name}. Embed the file with <EmbeddedResource Include=\"Migrations/**/*.sql\" /> in the project file" +
                (all.Length == 0 ? "; the assembly has no embedded resources at all." : $"; its resources are: {string.Join(", ", all.Order(StringComparer.Ordinal).Take(10))}{(all.Length > 10 ? ", ..." : "")}.")),
            _ => throw new MigrationScriptException(
                $"'{name}' matches {matches.Count} embedded resources in {assembly.GetName().Name} ({string.Join(", ", matches.Order(StringComparer.Ordinal))}): give a longer name that picks one."),
        };
    }

    // "-- Up", "-- up: Apply migration", "--DOWN" on a line of their own, and dbmate's "-- migrate:up" / "-- migrate:down",
    // so that a team's dbmate files embed as they are.
    [GeneratedRegex(@"^[ \t]*--[ \t]*(?:migrate:[ \t]*)?(?<dir>up|down)\b[^\n]*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"^[ \t]*--[ \t]*(CREATE|DROP|ALTER|INSERT|UPDATE|DELETE|TRUNCATE|GRANT|REVOKE|COMMENT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommentedStatement();
}
