using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Importing;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs that adopt another tool's migrations: import its files, import its history.</summary>
internal sealed partial class CliCommandLine
{
    public Option<string> ImportFrom { get; } = new("--from")
    {
        Description = "The folder holding the other tool's migrations.",
        HelpName = "DIR",
        Required = true,
    };

    public Option<string> ImportFormat { get; } = new("--format")
    {
        Description = "Its layout: updown (VERSION_name.sql with '-- Up'/'-- Down' lines), golang-migrate (N_name.up.sql + .down.sql), " +
            "dbmate ('-- migrate:up'/'-- migrate:down'), diesel (VERSION_name/up.sql + down.sql), flyway (V1.2__name.sql, U1.2__name.sql as its down).",
        HelpName = "FORMAT",
        Required = true,
    };

    public Option<string?> ImportOut { get; } = new("--out")
    {
        Description = "The folder to write the classes into, with the SQL files copied unchanged under its Sql/ folder (default: ./Migrations). " +
            "When neither it nor a folder above it holds a .csproj, a console host project is written there too.",
        HelpName = "DIR",
    };

    public Option<string?> ImportNamespace { get; } = new("--namespace")
    {
        Description = "The namespace of the classes (default: the enclosing project's namespace and folders, or the --out folder's name).",
        HelpName = "NAMESPACE",
    };

    public Option<string?> ImportCliProject { get; } = new("--cli-project")
    {
        Description = "The CodeMigrations.Cli.csproj a new host project references (default: the one this program was built from, when it can be found).",
        HelpName = "PATH",
    };

    public Option<string> ImportHistoryFrom { get; } = new("--from")
    {
        Description = "The tool that migrated the database: golang-migrate, flyway, dbup, fluentmigrator, diesel or dbmate.",
        HelpName = "TOOL",
        Required = true,
    };

    public Option<string?> ImportHistoryTable { get; } = new("--table")
    {
        Description = "Its history table, when not the tool's default (schema_migrations, flyway_schema_history, schemaversions, \"VersionInfo\", __diesel_schema_migrations).",
        HelpName = "[SCHEMA.]TABLE",
    };

    private void AddImportVerbs(MigrationCliOptions options, CliConsole console)
    {
        ImportFormat.AcceptOnlyFromAmong([.. MigrationSourceFormats.All]);
        ImportHistoryFrom.AcceptOnlyFromAmong([.. ForeignMigrationTools.All]);

        var import = new Command("import", "Write a C# migration class per migration of another tool's folder, keeping versions (non-integer ones mapped in order, listed), " +
            "reading the SQL from the files copied unchanged; a migration without a down becomes [Irreversible]. Touches no database.")
        {
            ImportFrom, ImportFormat, ImportOut, ImportNamespace, ImportCliProject,
        };
        import.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunImportAsync(ct));

        var importHistory = new Command("import-history", "Record as applied (baseline) the migrations another tool's history table says it applied, so that up runs only the rest. " +
            "Refuses, recording nothing, while that tool has a dirty or failed migration (exit 1).")
        {
            ImportHistoryFrom, ImportHistoryTable,
        };
        importHistory.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunImportHistoryAsync(ct));

        Root.Subcommands.Add(import);
        Root.Subcommands.Add(importHistory);
    }
}
