namespace CodeMigrations.Importing;

/// <summary>What <see cref="MigrationSourceReader"/> found in a folder: the migrations, and the files it could not import.</summary>
public sealed class MigrationSource
{
    internal MigrationSource(MigrationSourceFormat format, string directory, IReadOnlyList<SourceMigration> migrations,
        IReadOnlyList<UnsupportedSourceFile> unsupported, IReadOnlyList<string> warnings)
    {
        Format = format;
        Directory = directory;
        Migrations = migrations;
        Unsupported = unsupported;
        Warnings = warnings;
    }

    /// <summary>The format read.</summary>
    public MigrationSourceFormat Format { get; }

    /// <summary>The full path of the folder read.</summary>
    public string Directory { get; }

    /// <summary>The migrations, ordered by <see cref="SourceMigration.Version"/>.</summary>
    public IReadOnlyList<SourceMigration> Migrations { get; }

    /// <summary>Files of the tool that have no CodeMigrations equivalent (Flyway repeatable migrations, callbacks): not imported.</summary>
    public IReadOnlyList<UnsupportedSourceFile> Unsupported { get; }

    /// <summary>What the user should know: files ignored, downs commented out, migrations imported without a transaction.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether any migration's version differs from the number in its file name (Flyway dotted versions, version 0).</summary>
    public bool HasMappedVersions => Migrations.Any(m => m.IsVersionMapped);
}

/// <summary>A file of the other tool that <c>import</c> does not turn into a migration, and why.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Reason">Why it is not imported, and what to do instead.</param>
public sealed record UnsupportedSourceFile(string Path, string Reason);

/// <summary>One migration read from another tool's folder.</summary>
/// <param name="Version">Its CodeMigrations version: the tool's version when that is a positive integer, else mapped (see <see cref="MigrationSourceReader"/>).</param>
/// <param name="SourceVersion">The version exactly as the tool wrote it: <c>1.2.10</c>, <c>2023-09-15-120000</c>, <c>000001</c>.</param>
/// <param name="Name">The name part of the file name: <c>create_users</c>.</param>
/// <param name="Source">The file (diesel: the folder) the migration's Up came from, relative to the folder read.</param>
/// <param name="Up">What Up runs.</param>
/// <param name="Down">What Down runs; <see langword="null"/> when the migration has none (then <see cref="IrreversibleReason"/> is set).</param>
public sealed record SourceMigration(long Version, string SourceVersion, string Name, string Source, SourceScript Up, SourceScript? Down)
{
    /// <summary>Why it cannot be reverted (<c>imported from golang-migrate without a down migration</c>); <see langword="null"/> when it can.</summary>
    public string? IrreversibleReason { get; init; }

    /// <summary>Whether it runs in a transaction; <see langword="false"/> for statements PostgreSQL refuses in one, or when the tool said so.</summary>
    public bool UseTransaction { get; init; } = true;

    /// <summary>The files to copy, byte for byte, into the output's <c>Sql/</c> folder (an empty down file too).</summary>
    public IReadOnlyList<SourceFile> Files { get; init; } = [];

    /// <summary>A readable description from the name: <c>create users</c>.</summary>
    public string Description => string.Join(' ', Name.Split(['_', '-', ' '], StringSplitOptions.RemoveEmptyEntries)).Trim();

    /// <summary>Whether <see cref="Version"/> is not simply the number <see cref="SourceVersion"/> spells.</summary>
    public bool IsVersionMapped => !(ulong.TryParse(SourceVersion.Replace("-", "", StringComparison.Ordinal), System.Globalization.NumberStyles.None,
        System.Globalization.CultureInfo.InvariantCulture, out var plain) && plain == (ulong)Version);
}

/// <summary>What one direction of a migration runs: a copied file, whole or one section of it.</summary>
/// <param name="FileName">The file's name in the output's <c>Sql/</c> folder.</param>
/// <param name="Section">The whole file, or its <c>-- Up</c> / <c>-- Down</c> section (<c>updown</c> files).</param>
/// <param name="IsEmpty">The part holds no statement (only whitespace and comments): the generated method has no step.</param>
public sealed record SourceScript(string FileName, ScriptSection Section, bool IsEmpty = false)
{
    /// <summary>
    /// The part wraps its statements in its own <c>BEGIN</c> ... <c>COMMIT</c>: the class reads it with
    /// <see cref="ImportedScripts.ReadWithoutOwnTransaction"/>, so that it runs in the migration's transaction.
    /// </summary>
    public bool WithoutOwnTransaction { get; init; }
}

/// <summary>A file to copy into the output's <c>Sql/</c> folder: a source file as it is, or (dbmate) a contiguous part of one.</summary>
/// <param name="SourcePath">The full path of the source file.</param>
/// <param name="FileName">Its name in <c>Sql/</c>.</param>
public sealed record SourceFile(string SourcePath, string FileName)
{
    /// <summary>The first byte copied; 0 for a whole file.</summary>
    public long Offset { get; init; }

    /// <summary>How many bytes are copied; <see langword="null"/> for the rest of the file.</summary>
    public long? Length { get; init; }
}
