namespace CodeMigrations.Importing;

/// <summary>Where and how <see cref="MigrationImportWriter"/> writes.</summary>
public sealed class MigrationImportOptions
{
    /// <summary>The folder to write the classes (and <c>Sql/</c>) into; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// The namespace of the classes. Default: the enclosing project's root namespace plus the folders below it, or,
    /// when a host project is created, the output folder's name.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// The <c>CodeMigrations.Cli.csproj</c> (or its folder) a created host project references. Default: one found above
    /// this program's files; when none is, the project is written without it and a warning says what to add.
    /// </summary>
    public string? CliProjectPath { get; init; }
}

/// <summary>What <see cref="MigrationImportWriter"/> wrote.</summary>
/// <param name="OutputDirectory">The full path of the output folder.</param>
/// <param name="Namespace">The namespace of the classes.</param>
/// <param name="Migrations">One entry per migration, by version.</param>
/// <param name="ProjectFile">The project that compiles the classes: the created host, or the enclosing project found.</param>
/// <param name="CreatedProject">Whether <paramref name="ProjectFile"/> and <c>Program.cs</c> were written by this import.</param>
public sealed record MigrationImportResult(string OutputDirectory, string Namespace, IReadOnlyList<ImportedMigrationClass> Migrations,
    string ProjectFile, bool CreatedProject)
{
    /// <summary>The CodeMigrations.Cli project the created host references; <see langword="null"/> when none was found or none was needed.</summary>
    public string? CliProjectReference { get; init; }

    /// <summary>
    /// The line the enclosing project needs so that the copied files are embedded (<c>&lt;EmbeddedResource Include="Sql/**/*.sql" /&gt;</c>);
    /// <see langword="null"/> when it has one, or the project was created with it.
    /// </summary>
    public string? MissingEmbeddedResource { get; init; }

    /// <summary>The files written (full paths).</summary>
    public IReadOnlyList<string> Written { get; init; } = [];

    /// <summary>The files that existed already with the same content.</summary>
    public IReadOnlyList<string> Unchanged { get; init; } = [];

    /// <summary>What the user should know or do (from reading and writing).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The source files not imported, and why.</summary>
    public IReadOnlyList<UnsupportedSourceFile> Unsupported { get; init; } = [];
}

/// <summary>One generated migration class.</summary>
/// <param name="Source">The migration read.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="ClassFile">The full path of its <c>.cs</c> file.</param>
/// <param name="SqlFiles">Its copied SQL files, relative to the output folder (<c>Sql/1_create_users.up.sql</c>).</param>
public sealed record ImportedMigrationClass(SourceMigration Source, string ClassName, string ClassFile, IReadOnlyList<string> SqlFiles);
