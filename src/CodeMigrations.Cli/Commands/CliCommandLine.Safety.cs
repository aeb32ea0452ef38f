using System.CommandLine;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs and options that check history against code, adopt databases, and show before doing.</summary>
internal sealed partial class CliCommandLine
{
    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "Run the migrations for real inside one transaction and roll it back: proves they apply now, and how long each takes, without changing anything. Migrations without a transaction cannot be dry-run and are listed.",
    };

    public Option<bool> AllowOutOfOrder { get; } = new("--allow-out-of-order")
    {
        Description = "Apply pending migrations older than the newest applied one instead of refusing.",
    };

    public Option<string?> DdlLockTimeout { get; } = new("--ddl-lock-timeout")
    {
        Description = "lock_timeout of every migration statement, e.g. 2s, 500ms, 0 for none (default 5s: a statement waiting for a lock on a busy table gives up rather than stall the traffic queued behind it).",
        HelpName = "INTERVAL",
    };

    public Option<string?> StatementTimeout { get; } = new("--statement-timeout")
    {
        Description = "statement_timeout of every migration statement, e.g. 30min (default 0: none).",
        HelpName = "INTERVAL",
    };

    public Argument<long> BaselineVersion { get; } = new("VERSION")
    {
        Description = "The newest migration already in place: it and every older one are recorded as applied without running.",
        CustomParser = result => ParseVersion(result) ?? 0,
    };

    public Option<int?> RedoSteps { get; } = new("--steps")
    {
        Description = "How many of the newest applied migrations to revert and apply again (default 1).",
        HelpName = "N",
    };

    public Argument<string> ScriptDirection { get; } = new("DIRECTION")
    {
        Description = "up: the SQL that up would run; down: the SQL that down would run.",
    };

    public Option<long?> ScriptTo { get; } = new("--to")
    {
        Description = "Up: the last version to include. Down: revert above this version (0 for all; default: the newest one).",
        HelpName = "VERSION",
        CustomParser = ParseVersion,
    };

    public Option<string?> ScriptOutput { get; } = new("--output", "-o")
    {
        Description = "Write the script to this file instead of standard output.",
        HelpName = "FILE",
    };

    public Option<bool> Idempotent { get; } = new("--idempotent")
    {
        Description = "Guard each migration with a check on the history table (psql \\if), so the script is safe to run twice.",
    };

    public Option<bool> AllowCodeSteps { get; } = new("--allow-code-steps")
    {
        Description = "Exit 0 even when some steps run .NET code and could only be mentioned in a comment.",
    };

    public Argument<string> NewName { get; } = new("NAME")
    {
        Description = "The class name of the migration, a C# identifier such as AddEmailToUsers.",
    };

    public Option<string?> NewDirectory { get; } = new("--dir")
    {
        Description = "The folder to write the file in (default: ./Migrations if it exists, else the current folder).",
        HelpName = "DIR",
    };

    private void AddSafetyVerbs(MigrationCliOptions options, CliConsole console)
    {
        foreach (var option in new[] { DdlLockTimeout, StatementTimeout })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } value && !Execution.MigrationTimeouts.IsValidInterval(value))
                    result.AddError($"{option.Name} '{value}' is not an interval: use a number with a unit such as 500ms, 5s, 10min, or 0 for none.");
            });
        }

        var validate = new Command("validate", "Compare the history with the code: applied migrations whose checksum changed, applied versions without a class, pending migrations older than the newest applied one, unresolved failures. Exit 1 on any finding.");
        validate.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Validate, ct));

        var accept = new Command("accept-checksums", "Record the current checksums of applied migrations, accepting deliberate harmless edits (formatting, comments) so that up and validate stop refusing them.");
        accept.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.AcceptChecksums, ct));

        var baseline = new Command("baseline", "Adopt an existing database: record every migration up to and including VERSION as applied (baseline) without running it.") { BaselineVersion };
        baseline.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Baseline, ct));

        var redo = new Command("redo", "Revert the newest applied migration (or --steps N) and apply it again: for development.") { RedoSteps };
        RedoSteps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--steps must be at least 1.");
        });
        redo.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Redo, ct));

        var script = new Command("script", "Write the exact SQL that up or down would run, in order, with transaction boundaries and history statements, for review or for psql.")
        {
            ScriptDirection, ScriptTo, ScriptOutput, Idempotent, AllowCodeSteps,
        };
        ScriptDirection.AcceptOnlyFromAmong("up", "down");
        script.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Script, ct));

        var create = new Command("new", "Write DIR/yyyyMMddHHmmss_NAME.cs: a migration class with [Migration(yyyyMMddHHmmss)] (UTC now) and empty Up and Down, in the namespace of the nearest project and folder.")
        {
            NewName, NewDirectory,
        };
        create.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.New, ct));

        foreach (var command in new[] { validate, accept, baseline, redo, script, create })
            Root.Subcommands.Add(command);
    }
}
