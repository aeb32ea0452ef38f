namespace CodeMigrations.Importing;

/// <summary>
/// Written by <c>import</c> on each class it generates: which tool the migration came from and its version there, so
/// that <c>import-history</c> matches that tool's history rows to this class exactly, whatever the version mapping.
/// </summary>
/// <remarks>Only read by <see cref="MigrationHistoryImporter"/>; the runner ignores it.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ImportedMigrationAttribute : Attribute
{
    /// <summary>Marks a migration as imported.</summary>
    /// <param name="format">The format's name, as <see cref="MigrationSourceFormats.NameOf"/> gives it: <c>flyway</c>.</param>
    /// <param name="sourceVersion">The version exactly as the other tool wrote it: <c>1.2.10</c>, <c>2023-09-15-120000</c>.</param>
    public ImportedMigrationAttribute(string format, string sourceVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceVersion);
        Format = format;
        SourceVersion = sourceVersion;
    }

    /// <summary>The format the migration was imported from.</summary>
    public string Format { get; }

    /// <summary>The version in the other tool.</summary>
    public string SourceVersion { get; }

    /// <summary>The file (or, for diesel, the folder) the Up came from: <c>V1.2__add_index.sql</c>.</summary>
    public string? Source { get; init; }
}
