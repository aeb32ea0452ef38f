using System.CommandLine;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs that read schemas: print one, prove every Down reverses its Up, find hand-made changes.</summary>
internal sealed partial class CliCommandLine
{
    public Option<string?> SchemaOutput { get; } = new("--output", "-o")
    {
        Description = "Write the schema to this file (sorted, one line per object and property: a reviewable file to commit).",
        HelpName = "FILE",
    };

    public Option<string?> ScratchConnection { get; } = new("--scratch-connection")
    {
        Description = "A database to work in instead of a new scratch database created (and dropped) next to the target; it must not hold migration history.",
        HelpName = "CONNECTION_STRING",
    };

    private void AddVerificationVerbs(MigrationCliOptions options, CliConsole console)
    {
        var schema = new Command("schema", "Print the database's schema as a normalised, comparable text (tables, columns, constraints, indexes, views, functions, triggers, types, extensions, comments, policies), without the history table.")
        {
            SchemaOutput,
        };
        schema.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Schema, ct));

        var verify = new Command("verify", "Prove that every Down reverses its Up: on a scratch database, for each migration in order, snapshot the schema, Up, snapshot, Down, snapshot (must equal the first), Up again (must equal the second). Exit 1 when any migration fails.")
        {
            ScratchConnection,
        };
        verify.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Verify, ct));

        var drift = new Command("drift", "Compare the database with what its applied migrations produce (built on a scratch database): what someone changed by hand. Exit 1 on drift.")
        {
            ScratchConnection,
        };
        drift.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Drift, ct));

        foreach (var command in new[] { schema, verify, drift })
            Root.Subcommands.Add(command);
    }
}
