using System.CommandLine;
using CodeMigrations.Fleet;

namespace CodeMigrations.Cli.Fleet;

/// <summary>
/// The options of a verb that can run on many databases: <c>--targets FILE</c> or <c>--targets-query SQL</c>,
/// <c>--parallel N</c> and <c>--json</c>; each verb that takes them has its own instance.
/// </summary>
internal sealed class FleetOptions
{
    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="json"/> is the verb's own <c>--json</c>, when it has one.</summary>
    public FleetOptions(Command command, Option<bool>? json = null)
    {
        Parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--parallel must be at least 1.");
        });
        command.Options.Add(Targets);
        command.Options.Add(TargetsQuery);
        command.Options.Add(Parallel);
        if (json is null)
        {
            json = new Option<bool>("--json") { Description = "With --targets or --targets-query: print a JSON array, one object per target, and nothing else." };
            command.Options.Add(json);
        }

        Json = json;
        command.Validators.Add(result =>
        {
            if (result.GetResult(Targets) is not null && result.GetResult(TargetsQuery) is not null)
                result.AddError("Give either --targets FILE or --targets-query SQL, not both.");
            if (result.GetResult(Parallel) is not null && result.GetResult(Targets) is null && result.GetResult(TargetsQuery) is null)
                result.AddError("--parallel applies to many databases: give --targets FILE or --targets-query SQL with it.");
        });
    }

    public Option<FileInfo?> Targets { get; } = new("--targets")
    {
        Description = "Run on every database listed in FILE: one a line, a connection string or name=connection string; '#' comments and blank lines ignored.",
        HelpName = "FILE",
    };

    public Option<string?> TargetsQuery { get; } = new("--targets-query")
    {
        Description = "Run on every database this query returns, run on --connection: each row a database name (on that server, with its credentials) or a full connection string.",
        HelpName = "SQL",
    };

    public Option<int?> Parallel { get; } = new("--parallel")
    {
        Description = $"With --targets or --targets-query: how many databases at once (default {MigrationFleetOptions.DefaultMaxParallelism}).",
        HelpName = "N",
    };

    public Option<bool> Json { get; }

    /// <summary>Whether the command line asks for a fleet.</summary>
    public bool IsRequested(ParseResult parse) => parse.GetResult(Targets) is not null || parse.GetResult(TargetsQuery) is not null;
}
