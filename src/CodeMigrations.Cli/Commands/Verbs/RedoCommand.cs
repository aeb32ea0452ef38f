using System.CommandLine;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>redo [--steps N]</c>: reverts the newest applied migrations and applies them again.</summary>
internal sealed class RedoCommand : CliVerb
{
    private readonly Option<int?> _steps = VerbOptions.Steps("How many of the newest applied migrations to revert and apply again (default 1).");

    public RedoCommand()
        : base("redo", "Revert the newest applied migration (or --steps N) and apply it again: for development.")
    {
        Command.Options.Add(_steps);
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        // A failure or cancellation is summarised in terms of what was reverted.
        var runner = await host.GetRunnerAsync(MigrationDirection.Down, cancellationToken);
        var result = await runner.RedoAsync(host.Get(_steps) ?? 1, cancellationToken);
        host.Console.WriteLine(result.Reverted.Migrations.Count == 0
            ? "Nothing to redo: no migration is applied."
            : $"Redone {Durations.Migrations(result.Applied.Migrations.Count)} in {Durations.Seconds(result.Reverted.Duration + result.Applied.Duration)}.", CliColour.Green);
        return MigrationExitCode.Success;
    }
}
