using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodeMigrations.Authoring;

namespace CodeMigrations.Importing;

/// <summary>
/// Writes imported migrations as C# classes that read their SQL with <c>ExecuteScript</c> from copies of the source files,
/// and, where no project holds the output folder, the console host project that builds and runs them.
/// </summary>
/// <remarks>
/// <para>
/// Into the output folder DIR: one file <c>V&lt;version&gt;_&lt;Class&gt;.cs</c> per migration, holding a class
/// named after the migration's file (<c>1_create_users.up.sql</c> → <c>CreateUsers</c>; the version is appended when two
/// names meet, or the name is reserved) with <see cref="MigrationAttribute"/>, <see cref="IrreversibleAttribute"/> when
/// it has no down, and <see cref="ImportedMigrationAttribute"/> for <c>import-history</c>; and <c>DIR/Sql/</c> holding
/// the source files copied byte for byte (diesel's <c>VERSION_name/up.sql</c> becomes <c>Sql/VERSION_name.up.sql</c>:
/// resource names cannot hold its folder; a dbmate file with both sections becomes <c>.up.sql</c> and <c>.down.sql</c>
/// halves that, put back together, are the original).
/// </para>
/// <para>
/// When neither DIR nor a folder above it holds a <c>.csproj</c>, DIR also gets <c>&lt;DirName&gt;.csproj</c> (an
/// executable embedding <c>Sql/**/*.sql</c> and referencing CodeMigrations.Cli) and a <c>Program.cs</c> that calls
/// <c>MigrationCli.RunAsync</c>. Otherwise only the classes and <c>Sql/</c> are written, and
/// <see cref="MigrationImportResult.MissingEmbeddedResource"/> gives the <c>&lt;EmbeddedResource&gt;</c> line the project
/// lacks, if it does.
/// </para>
/// <para>Nothing is written when any file would replace a different existing one; writing the same output again changes nothing.</para>
/// </remarks>
public static partial class MigrationImportWriter
{
    private const string SqlFolder = "Sql";

    // Names the generated code uses unqualified: a class with one of them would hide the type it means.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "Migration", "MigrationAttribute", "Irreversible", "IrreversibleAttribute", "ImportedMigration", "ImportedMigrationAttribute",
        "ScriptSection", "Program", "CodeMigrations", "System",
    };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="source"/> as CodeMigrations classes (and a host project when needed).</summary>
    /// <param name="source">What <see cref="MigrationSourceReader.ReadAsync"/> read.</param>
    /// <param name="options">Where to write, the namespace, the CodeMigrations.Cli project to reference.</param>
    /// <param name="cancellationToken">Cancels the writing (files written before stay).</param>
    /// <exception cref="MigrationImportException">A file to write exists with other content, the namespace or the CLI project path is invalid; nothing was written.</exception>
    public static async Task<MigrationImportResult> WriteAsync(MigrationSource source, MigrationImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputDirectory);
        var output = Path.GetFullPath(options.OutputDirectory);
        var problems = new List<string>();
        var warnings = new List<string>();

        var (project, folders) = ProjectNames.FindProject(output);
        var createProject = project is null;
        var @namespace = options.Namespace?.Trim();
        if (@namespace is not null && !ValidNamespace().IsMatch(@namespace))
            problems.Add($"'{@namespace}' is not a C# namespace: use identifiers separated by dots, such as Blog.Migrations.");
        @namespace ??= project is null
            ? string.Join('.', Path.GetFileName(output).Split('.', StringSplitOptions.RemoveEmptyEntries).Select(ProjectNames.Sanitize))
            : ProjectNames.Namespace(project, folders);
        if (@namespace.Length == 0)
            @namespace = "Migrations";

        var classes = NameClasses(source.Migrations);
        var files = new List<(string Path, byte[] Content)>();
        var imported = new List<ImportedMigrationClass>();
        var format = MigrationSourceFormats.NameOf(source.Format);
        foreach (var migration in source.Migrations)
        {
            var className = classes[migration.Version];
            var classFile = Path.Combine(output, $"V{migration.Version}_{className}.cs");
            files.Add((classFile, Utf8.GetBytes(RenderClass(migration, className, @namespace, format))));
            foreach (var copy in migration.Files)
                files.Add((Path.Combine(output, SqlFolder, copy.FileName), await CopyAsync(copy, cancellationToken)));
            imported.Add(new ImportedMigrationClass(migration, className, classFile, migration.Files.Select(f => $"{SqlFolder}/{f.FileName}").ToList()));
        }

        string? cliReference = null;
        string? missingResource = null;
        if (createProject)
        {
            project = Path.Combine(output, $"{ProjectName(output)}.csproj");
            cliReference = FindCliProject(options.CliProjectPath, problems);
            if (cliReference is null && options.CliProjectPath is null)
            {
                warnings.Add($"CodeMigrations.Cli.csproj was not found near this program: add a reference to CodeMigrations.Cli to {Path.GetFileName(project)} " +
                    "(<ProjectReference Include=\"path/to/CodeMigrations.Cli.csproj\" /> or its package) before building, or import again with --cli-project PATH.");
            }

            files.Add((project, Utf8.GetBytes(RenderProject(@namespace, cliReference is null ? null : Path.GetRelativePath(output, cliReference).Replace('\\', '/'), format))));
            files.Add((Path.Combine(output, "Program.cs"), Utf8.GetBytes(RenderProgram())));
        }
        else
        {
            var sqlFolder = Path.GetRelativePath(Path.GetDirectoryName(project!)!, Path.Combine(output, SqlFolder)).Replace('\\', '/');
            if (!Embeds(project!, imported.SelectMany(c => c.SqlFiles).Select(f => $"{sqlFolder}/{f[(SqlFolder.Length + 1)..]}"), warnings))
                missingResource = $"<EmbeddedResource Include=\"{sqlFolder}/**/*.sql\" />";
        }

        var written = new List<string>();
        var unchanged = new List<string>();
        foreach (var (path, content) in files)
        {
            if (!File.Exists(path))
                continue;
            if ((await File.ReadAllBytesAsync(path, cancellationToken)).AsSpan().SequenceEqual(content))
                unchanged.Add(path);
            else
                problems.Add($"{path} exists with other content: move it away or choose another --out folder (import never overwrites a file).");
        }

        if (problems.Count > 0)
            throw new MigrationImportException(problems);

        foreach (var (path, content) in files.Where(f => !unchanged.Contains(f.Path)))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content, cancellationToken);
            written.Add(path);
        }

        return new MigrationImportResult(output, @namespace, imported, project!, createProject)
        {
            CliProjectReference = cliReference,
            MissingEmbeddedResource = missingResource,
            Written = written,
            Unchanged = unchanged,
            Warnings = source.Warnings.Concat(warnings).ToList(),
            Unsupported = source.Unsupported,
        };
    }

    /// <summary>The C# source of one migration class.</summary>
    internal static string RenderClass(SourceMigration migration, string className, string @namespace, string format)
    {
        var text = new StringBuilder();
        text.Append("using CodeMigrations;\nusing CodeMigrations.Importing;\n\n");
        text.Append("namespace ").Append(@namespace).Append(";\n\n");
        var sources = string.Join(", ", migration.Files.Select(f => f.FileName));
        text.Append("/// <summary>").Append(XmlEscape(migration.Description.Length > 0 ? migration.Description : className))
            .Append(": imported from ").Append(format).Append(" (").Append(XmlEscape(sources)).Append(", copied unchanged to Sql/).</summary>\n");
        text.Append("[Migration(").Append(VersionLiteral(migration));
        if (migration.Description.Length > 0)
            text.Append(", Description = ").Append(Literal(migration.Description));
        if (!migration.UseTransaction)
            text.Append(", UseTransaction = false");
        text.Append(")]\n");
        if (migration.IrreversibleReason is { } reason)
            text.Append("[Irreversible(").Append(Literal(reason)).Append(")]\n");
        text.Append("[ImportedMigration(").Append(Literal(format)).Append(", ").Append(Literal(migration.SourceVersion))
            .Append(", Source = ").Append(Literal(migration.Source)).Append(")]\n");
        text.Append("public sealed class ").Append(className).Append(" : Migration\n{\n");
        AppendMethod(text, "Up", migration.Up, "// The source's up migration holds no statement.");
        text.Append('\n');
        AppendMethod(text, "Down", migration.Down, migration.IrreversibleReason is null ? "" : "// Irreversible: see the attribute above.");
        text.Append("}\n");
        return text.ToString();
    }

    private static void AppendMethod(StringBuilder text, string name, SourceScript? script, string emptyComment)
    {
        text.Append("    /// <inheritdoc />\n");
        if (script is null || script.IsEmpty)
        {
            text.Append("    public override void ").Append(name).Append("()\n    {\n");
            if (emptyComment.Length > 0)
                text.Append("        ").Append(emptyComment).Append('\n');
            text.Append("    }\n");
            return;
        }

        var section = script.Section == ScriptSection.Whole ? "" : $", ScriptSection.{script.Section}";
        var file = Literal($"{SqlFolder}/{script.FileName}");
        text.Append("    public override void ").Append(name).Append("() => ");
        text.Append(script.WithoutOwnTransaction
            ? $"Execute(ImportedScripts.ReadWithoutOwnTransaction(GetType().Assembly, {file}{section}));\n"
            : $"ExecuteScript({file}{section});\n");
    }

    /// <summary>Class names from the migrations' names, unique, valid, and never hiding a type the generated code uses.</summary>
    private static Dictionary<long, string> NameClasses(IReadOnlyList<SourceMigration> migrations)
    {
        var names = migrations.ToDictionary(m => m.Version, m => ClassName(m.Name, m.Version));
        var clashing = names.Values.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in migrations)
        {
            var name = names[migration.Version];
            if (clashing.Contains(name) || Reserved.Contains(name))
                names[migration.Version] = $"{name}V{migration.Version}";
        }

        return names;
    }

    /// <summary><c>create_users</c> → <c>CreateUsers</c>; <c>Add FK (orders)</c> → <c>AddFKOrders</c>; a leading digit gets <c>Migration</c> before it.</summary>
    internal static string ClassName(string name, long version)
    {
        var text = new StringBuilder();
        foreach (var word in NonWordCharacters().Split(name))
        {
            if (word.Length > 0)
                text.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        if (text.Length == 0)
            return $"Migration{version}";
        if (char.IsDigit(text[0]) || ProjectNames.IsKeyword(text.ToString()))
            text.Insert(0, "Migration");
        return text.ToString();
    }

    private static string VersionLiteral(SourceMigration migration)
    {
        var digits = migration.Version.ToString(CultureInfo.InvariantCulture);
        if (!migration.IsVersionMapped || digits.Length <= 4)
            return digits;
        // A mapped dotted version reads best in its groups: 1.2.10 → 1_0002_0010.
        var groups = new List<string>();
        for (var end = digits.Length; end > 0; end -= 4)
            groups.Insert(0, digits[Math.Max(0, end - 4)..end]);
        return string.Join('_', groups);
    }

    private static async Task<byte[]> CopyAsync(SourceFile file, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(file.SourcePath, cancellationToken);
        if (file.Offset == 0 && file.Length is null)
            return bytes;
        var start = (int)file.Offset;
        return bytes[start..(file.Length is { } length ? start + (int)length : bytes.Length)];
    }

    private static string Literal(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string XmlEscape(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWordCharacters();

    [GeneratedRegex(@"^@?[A-Za-z_][A-Za-z0-9_]*(\.@?[A-Za-z_][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidNamespace();
}
