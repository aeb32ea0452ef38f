namespace CodeMigrations.Importing;

/// <summary>The tools whose history table <c>import-history</c> reads (see <see cref="MigrationHistoryImporter"/>).</summary>
public enum ForeignMigrationTool
{
    /// <summary><c>golang-migrate</c>: <c>schema_migrations(version bigint, dirty boolean)</c>, one row holding the current version.</summary>
    GolangMigrate,

    /// <summary><c>flyway</c>: <c>flyway_schema_history</c>, one row per migration run, with <c>success</c>.</summary>
    Flyway,

    /// <summary><c>dbup</c>: <c>schemaversions(schemaversionsid, scriptname, applied)</c>, one row per script run.</summary>
    DbUp,

    /// <summary><c>fluentmigrator</c>: <c>"VersionInfo"("Version", "AppliedOn", "Description")</c>, one row per applied version.</summary>
    FluentMigrator,

    /// <summary><c>diesel</c>: <c>__diesel_schema_migrations(version varchar, run_on)</c>, one row per applied version.</summary>
    Diesel,

    /// <summary><c>dbmate</c>: <c>schema_migrations(version varchar)</c>, one row per applied version.</summary>
    Dbmate,
}

/// <summary>The command-line names of <see cref="ForeignMigrationTool"/>.</summary>
public static class ForeignMigrationTools
{
    private static readonly (string Name, ForeignMigrationTool Tool)[] Names =
    [
        ("golang-migrate", ForeignMigrationTool.GolangMigrate),
        ("flyway", ForeignMigrationTool.Flyway),
        ("dbup", ForeignMigrationTool.DbUp),
        ("fluentmigrator", ForeignMigrationTool.FluentMigrator),
        ("diesel", ForeignMigrationTool.Diesel),
        ("dbmate", ForeignMigrationTool.Dbmate),
    ];

    /// <summary>Every tool's name, in the order help text lists them.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Select(n => n.Name).ToArray();

    /// <summary>The command-line name of <paramref name="tool"/>, e.g. <c>golang-migrate</c>.</summary>
    public static string NameOf(ForeignMigrationTool tool) =>
        Names.FirstOrDefault(n => n.Tool == tool).Name ?? throw new ArgumentOutOfRangeException(nameof(tool), tool, null);

    /// <summary>The tool called <paramref name="name"/> (case-insensitive; <c>golang</c>, <c>migrate</c> and <c>fluent-migrator</c> are accepted too).</summary>
    /// <exception cref="HistoryImportException">No tool has that name; the message lists the tools.</exception>
    public static ForeignMigrationTool Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wanted = name.Trim().ToLowerInvariant() switch
        {
            "golang" or "migrate" or "golang_migrate" => "golang-migrate",
            "fluent-migrator" or "fluent_migrator" => "fluentmigrator",
            var other => other,
        };
        foreach (var (known, tool) in Names)
        {
            if (known == wanted)
                return tool;
        }

        throw new HistoryImportException($"'{name}' is not a tool whose history import-history can read: use one of {string.Join(", ", All)}.");
    }

    /// <summary>The import format whose classes this tool's history rows name, if any (FluentMigrator's are C# classes already).</summary>
    internal static MigrationSourceFormat? ImportFormat(ForeignMigrationTool tool) => tool switch
    {
        ForeignMigrationTool.GolangMigrate => MigrationSourceFormat.GolangMigrate,
        ForeignMigrationTool.Flyway => MigrationSourceFormat.Flyway,
        ForeignMigrationTool.DbUp => MigrationSourceFormat.UpDown,
        ForeignMigrationTool.Diesel => MigrationSourceFormat.Diesel,
        ForeignMigrationTool.Dbmate => MigrationSourceFormat.Dbmate,
        _ => null,
    };
}
