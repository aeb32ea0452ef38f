using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using CodeMigrations.Cli.Output;
using CodeMigrations.Running;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs and options, as System.CommandLine symbols, each verb wired to a <see cref="CliSession"/>.</summary>
internal sealed partial class CliCommandLine
{
    private const string DefaultDescription = """
        Applies and reverts this program's PostgreSQL migrations, and shows where each one stands.

        Exit codes: 0 success · 1 a migration or the database failed (or Ctrl+C) · 2 bad usage or an invalid migration set.
        """;

    public CliCommandLine(MigrationCliOptions options, CliConsole console)
    {
        // A plain command rather than RootCommand, whose name is always the executable's: a host assembly called like a
        // verb ("status", "up") made System.CommandLine throw on every command line (dotnet/command-line-api#2260).
        Root = new Command(options.ProgramName ?? ProgramName(RootCommand.ExecutableName), options.Description ?? DefaultDescription) { new HelpOption(), new VersionOption() };
        foreach (var option in new Option[] { Connection, HistorySchema, HistoryTable, LockTimeout, DdlLockTimeout, StatementTimeout, Verbose })
        {
            option.Recursive = true;
            Root.Options.Add(option);
        }

        LockTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0)
                result.AddError("--lock-timeout must be 0 or more seconds.");
        });

        var up = new Command("up", "Apply pending migrations, oldest first: all of them, or up to and including --to VERSION.") { UpTo, DryRun, AllowOutOfOrder };
        up.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Up, ct));

        var down = new Command("down", "Revert applied migrations, newest first: the newest one by default, those above --to VERSION (0 reverts all), or the newest --steps N.")
        {
            DownTo,
            Steps,
            DryRun,
        };
        Steps.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--steps must be at least 1.");
        });
        down.Validators.Add(result =>
        {
            if (result.GetResult(DownTo) is not null && result.GetResult(Steps) is not null)
                result.AddError("Give either --to VERSION or --steps N, not both.");
        });
        down.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Down, ct));

        var status = new Command("status", "Show every migration: applied or pending, when and how long; applied versions missing from the code and failed marks too.") { Json };
        status.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Status, ct));

        var resolve = new Command("resolve", "Record the outcome of a migration without a transaction that failed or was interrupted, once you have completed or undone its statements by hand.")
        {
            ResolveVersion,
            Applied,
            NotApplied,
        };
        resolve.Validators.Add(result =>
        {
            var applied = result.GetResult(Applied) is not null;
            var notApplied = result.GetResult(NotApplied) is not null;
            if (applied == notApplied)
                result.AddError("Give exactly one of --applied (its changes are fully in place) or --not-applied (none of them remain).");
        });
        resolve.SetAction((parse, ct) => new CliSession(this, options, console, parse).RunAsync(CliVerb.Resolve, ct));

        Root.Subcommands.Add(up);
        Root.Subcommands.Add(down);
        Root.Subcommands.Add(status);
        Root.Subcommands.Add(resolve);
        AddSafetyVerbs(options, console);
        AddVerificationVerbs(options, console);
        AddImportVerbs(options, console);
    }

    /// <summary>The verbs, which the program's own name must not repeat.</summary>
    internal static readonly string[] VerbNames =
        ["up", "down", "status", "resolve", "validate", "accept-checksums", "baseline", "redo", "script", "new", "schema", "verify", "drift", "import", "import-history"];

    public Command Root { get; }

    /// <summary>The executable's name, with ".dll" appended when it is also the name of a verb.</summary>
    internal static string ProgramName(string executableName) =>
        VerbNames.Contains(executableName, StringComparer.OrdinalIgnoreCase) ? executableName + ".dll" : executableName;

    /// <summary>A connection started before the parse, on the connection string the command line names; <see langword="null"/> for none.</summary>
    public EarlyConnection? EarlyConnection { get; init; }

    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = $"The PostgreSQL connection string, e.g. \"Host=localhost;Database=app;Username=app\". Default: the environment variable {MigrationCli.ConnectionEnvironmentVariable}.",
        HelpName = "CONNECTION_STRING",
    };

    public Option<string?> HistorySchema { get; } = new("--history-schema")
    {
        Description = "The schema of the history table (default: public).",
        HelpName = "SCHEMA",
    };

    public Option<string?> HistoryTable { get; } = new("--history-table")
    {
        Description = "The name of the history table (default: migration_history).",
        HelpName = "TABLE",
    };

    public Option<double?> LockTimeout { get; } = new("--lock-timeout")
    {
        Description = "How many seconds to wait for another run's migration lock before giving up (default: 300).",
        HelpName = "SECONDS",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print the runner's log and, on errors, the stack trace (to standard error).",
    };

    public Option<long?> UpTo { get; } = new("--to")
    {
        Description = "The last version to apply; it must name a migration.",
        HelpName = "VERSION",
        CustomParser = ParseVersion,
    };

    public Option<long?> DownTo { get; } = new("--to")
    {
        Description = "Revert every applied migration above this version; 0 reverts all.",
        HelpName = "VERSION",
        CustomParser = ParseVersion,
    };

    public Option<int?> Steps { get; } = new("--steps")
    {
        Description = "Revert the newest N applied migrations.",
        HelpName = "N",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print a JSON array (version, name, className, state, appliedAt, durationMs, appliedBy, error) and nothing else.",
    };

    public Argument<long> ResolveVersion { get; } = new("VERSION")
    {
        Description = "The version that carries the failed mark (see status).",
        CustomParser = result => ParseVersion(result) ?? 0,
    };

    public Option<bool> Applied { get; } = new("--applied")
    {
        Description = "Its changes are fully in place (completed by hand): record it as applied.",
    };

    public Option<bool> NotApplied { get; } = new("--not-applied")
    {
        Description = "None of its changes remain (undone by hand): remove the mark, so the next up runs it again.",
    };

    /// <summary>A version is a number: say so, rather than naming .NET types.</summary>
    private static long? ParseVersion(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (long.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            return version;
        result.AddError($"'{token}' is not a version: a version is the number in a migration's [Migration(...)] attribute, e.g. 20240105090000.");
        return null;
    }
}

/// <summary>What a command does.</summary>
internal enum CliVerb
{
    Up,
    Down,
    Status,
    Resolve,
    Validate,
    AcceptChecksums,
    Baseline,
    Redo,
    Script,
    New,
    Schema,
    Verify,
    Drift,
}
