using CodeMigrations.Cli.Commands.Verbs;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs of the command line, in the order of the help: adding a verb is its class and one line here.</summary>
internal static class CliVerbs
{
    public static IReadOnlyList<CliVerb> Create() =>
    [
        new UpCommand(),
        new DownCommand(),
        new StatusCommand(),
        new ResolveCommand(),
        new ValidateCommand(),
        new AcceptChecksumsCommand(),
        new BaselineCommand(),
        new RedoCommand(),
        new ScriptCommand(),
        new LintCommand(),
        new NewCommand(),
        new SchemaCommand(),
        new VerifyCommand(),
        new DriftCommand(),
        new ImportCommand(),
        new ImportHistoryCommand(),
    ];
}
