using System.CommandLine;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>script up|down [--to VERSION] [--output FILE] [--idempotent] [--allow-code-steps]</c>: the SQL a run would send.</summary>
internal sealed class ScriptCommand : CliVerb
{
    private readonly Argument<string> _direction = new("DIRECTION")
    {
        Description = "up: the SQL that up would run; down: the SQL that down would run.",
    };

    private readonly Option<long?> _to = VerbOptions.Version("--to",
        "Up: the last version to include. Down: revert above this version (0 for all; default: the newest one).");

    private readonly Option<string?> _output = VerbOptions.Output("Write the script to this file instead of standard output.");

    private readonly Option<bool> _idempotent = new("--idempotent")
    {
        Description = "Guard each migration with a check on the history table (psql \\if), so the script is safe to run twice.",
    };

    private readonly Option<bool> _allowCodeSteps = new("--allow-code-steps")
    {
        Description = "Exit 0 even when some steps run .NET code and could only be mentioned in a comment.",
    };

    public ScriptCommand()
        : base("script", "Write the exact SQL that up or down would run, in order, with transaction boundaries and history statements, for review or for psql.")
    {
        _direction.AcceptOnlyFromAmong("up", "down");
        Command.Arguments.Add(_direction);
        Command.Options.Add(_to);
        Command.Options.Add(_output);
        Command.Options.Add(_idempotent);
        Command.Options.Add(_allowCodeSteps);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var console = host.Console;
        var direction = host.Get(_direction) == "down" ? MigrationDirection.Down : MigrationDirection.Up;
        var script = await runner.ScriptAsync(direction, new MigrationScriptOptions
        {
            Target = host.Get(_to),
            Idempotent = host.Get(_idempotent),
        }, cancellationToken);
        if (direction == MigrationDirection.Up)
            await MigrationLint.WarnAsync(host, () => Task.FromResult<ISet<long>>(script.Migrations.Select(m => m.Version).ToHashSet()), cancellationToken);
        if (host.Get(_output) is { } file)
        {
            await File.WriteAllTextAsync(file, script.Sql, cancellationToken);
            console.WriteNote($"Wrote the {(direction == MigrationDirection.Up ? "up" : "down")} script of {Durations.Migrations(script.Migrations.Count)} to {file}.");
        }
        else
        {
            await console.Out.WriteAsync(script.Sql);
        }

        if (script.UnscriptableSteps.Count == 0)
            return MigrationExitCode.Success;
        foreach (var step in script.UnscriptableSteps)
            console.WriteNote($"warning: {step}; the script holds a comment in its place.", CliColour.Yellow);
        if (host.Get(_allowCodeSteps))
            return MigrationExitCode.Success;
        console.WriteError($"The script is incomplete: {script.UnscriptableSteps.Count} step{(script.UnscriptableSteps.Count == 1 ? "" : "s")} cannot be written as SQL. " +
            "Apply those migrations with 'up', or pass --allow-code-steps to accept the script with comments in their place.");
        return MigrationExitCode.Usage;
    }
}
