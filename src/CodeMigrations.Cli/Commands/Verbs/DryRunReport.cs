using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary>The summary of <c>up --dry-run</c> and <c>down --dry-run</c>.</summary>
internal static class DryRunReport
{
    public static int Write(CliConsole console, MigrationRunResult result)
    {
        var verb = result.Direction == MigrationDirection.Up ? "apply" : "revert";
        console.WriteLine(result.Migrations.Count == 0 && result.NotDryRun.Count == 0
            ? $"Dry run: nothing to {verb}."
            : $"Dry run: {Durations.Migrations(result.Migrations.Count)} would {verb} ({Durations.Seconds(result.Duration)}); everything was rolled back, nothing changed.", CliColour.Green);
        if (result.NotDryRun.Count > 0)
        {
            console.WriteLine(
                $"Not tried: {string.Join(", ", result.NotDryRun)} — {result.NotDryRun[0]} runs without a transaction and cannot be dry-run, so it and the migrations after it were not tried.",
                CliColour.Yellow);
        }

        return MigrationExitCode.Success;
    }
}
