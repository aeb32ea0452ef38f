using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Importing;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>import-history --from TOOL [--table [SCHEMA.]TABLE]</c>: records as applied what another tool's history says it applied.</summary>
internal sealed class ImportHistoryCommand : CliVerb
{
    private readonly Option<string> _from = new("--from")
    {
        Description = "The tool that migrated the database: golang-migrate, flyway, dbup, fluentmigrator, diesel or dbmate.",
        HelpName = "TOOL",
        Required = true,
    };

    private readonly Option<string?> _table = new("--table")
    {
        Description = "Its history table, when not the tool's default (schema_migrations, flyway_schema_history, schemaversions, \"VersionInfo\", __diesel_schema_migrations).",
        HelpName = "[SCHEMA.]TABLE",
    };

    public ImportHistoryCommand()
        : base("import-history", "Record as applied (baseline) the migrations another tool's history table says it applied, so that up runs only the rest. " +
            "Refuses, recording nothing, while that tool has a dirty or failed migration (exit 1).")
    {
        _from.AcceptOnlyFromAmong([.. ForeignMigrationTools.All]);
        Command.Options.Add(_from);
        Command.Options.Add(_table);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var tool = ForeignMigrationTools.Parse(host.Get(_from)!);
        var services = await host.GetServicesAsync(cancellationToken);
        var result = await new MigrationHistoryImporter(host.MigrationOptions!, services).ImportAsync(tool, host.Get(_table), cancellationToken);
        Report(host.Console, result);
        return MigrationExitCode.Success;
    }

    public override int ReportCancelled(CliHost host, Exception error)
    {
        host.Console.WriteError("Cancelled: nothing was recorded, and the lock was released.");
        return MigrationExitCode.Failure;
    }

    private static void Report(CliConsole console, HistoryImportResult result)
    {
        var tool = ForeignMigrationTools.NameOf(result.Tool);
        foreach (var migration in result.Recorded)
            console.WriteLine($"{console.Paint(console.Symbols.Done, CliColour.Green)} {migration} recorded as applied (baseline)");
        foreach (var migration in result.AlreadyRecorded)
            console.WriteLine($"  {migration} was in the history already");
        foreach (var skipped in result.Skipped)
        {
            var what = skipped.SourceVersion is null ? skipped.Description : $"{skipped.SourceVersion}{(skipped.Description is null ? "" : $" ({skipped.Description})")}";
            console.WriteNote($"skipped {tool} {what}: {skipped.Reason}", CliColour.Yellow);
        }

        console.WriteLine(result.Recorded.Count == 0
            ? $"Nothing to record from {tool}'s {result.SourceTable}: {(result.AlreadyRecorded.Count > 0 ? "its migrations are in the history already." : "it applied none of the loaded migrations.")}"
            : $"Recorded {Durations.Migrations(result.Recorded.Count)} from {tool}'s {result.SourceTable} as applied, without running them.", CliColour.Green);
        if (result.Pending.Count > 0)
            console.WriteLine($"{Durations.Migrations(result.Pending.Count)} still pending ({string.Join(", ", result.Pending.Take(5).Select(m => m.Version))}{(result.Pending.Count > 5 ? ", ..." : "")}): 'up' applies {(result.Pending.Count == 1 ? "it" : "them")}.");
    }
}
