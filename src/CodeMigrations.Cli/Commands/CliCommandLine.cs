using System.CommandLine;
using System.CommandLine.Help;
using CodeMigrations.Cli.Database;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands;

/// <summary>The root command: the global options, defined once, and the verbs of <see cref="CliVerbs"/>, each run in a <see cref="CliHost"/>.</summary>
internal sealed class CliCommandLine
{
    private const string DefaultDescription = """
        Applies and reverts this program's PostgreSQL migrations, and shows where each one stands.

        Exit codes: 0 success · 1 a migration or the database failed (or Ctrl+C) · 2 bad usage or an invalid migration set.
        """;

    public CliCommandLine(MigrationCliOptions options, CliConsole console, IReadOnlyList<CliVerb>? verbs = null, WarmDataSource? warmDataSource = null)
    {
        Verbs = verbs ?? CliVerbs.Create();
        var context = new CliContext(options, console, new GlobalOptions(), warmDataSource);
        // A plain command rather than RootCommand, whose name is always the executable's: a host assembly called like a
        // verb ("status", "up") made System.CommandLine throw on every command line (dotnet/command-line-api#2260).
        Root = new Command(options.ProgramName ?? ProgramName(RootCommand.ExecutableName, Verbs), options.Description ?? DefaultDescription) { new HelpOption(), new VersionOption() };
        foreach (var option in context.Globals.All)
        {
            option.Recursive = true;
            Root.Options.Add(option);
        }

        foreach (var verb in Verbs)
        {
            verb.Command.SetAction((parse, cancellationToken) => new CliHost(context, verb, parse).RunAsync(cancellationToken));
            Root.Subcommands.Add(verb.Command);
        }
    }

    /// <summary>The names of the verbs, which the program's own name must not repeat.</summary>
    internal static IReadOnlyList<string> VerbNames => [.. CliVerbs.Create().Select(v => v.Name)];

    public Command Root { get; }

    public IReadOnlyList<CliVerb> Verbs { get; }

    /// <summary>The executable's name, with ".dll" appended when it is also the name of a verb.</summary>
    internal static string ProgramName(string executableName) => ProgramName(executableName, CliVerbs.Create());

    private static string ProgramName(string executableName, IEnumerable<CliVerb> verbs) =>
        verbs.Any(v => string.Equals(v.Name, executableName, StringComparison.OrdinalIgnoreCase)) ? executableName + ".dll" : executableName;
}

/// <summary>What every command of one command line shares: the host's configuration, the console, the global options, and the warm data source.</summary>
internal sealed record CliContext(MigrationCliOptions Options, CliConsole Console, GlobalOptions Globals, WarmDataSource? WarmDataSource);
