using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using CodeMigrations.Cli.Commands;
using CodeMigrations.Cli.Database;
using CodeMigrations.Cli.Output;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli;

/// <summary>
/// The console host: hand it the command line from your own <c>Program.cs</c> and it applies, reverts, reports and
/// resolves your migrations.
/// </summary>
/// <remarks>
/// <para>
/// Verbs: <c>up [--to VERSION]</c>, <c>down [--to VERSION | --steps N]</c>, <c>status [--json]</c>,
/// <c>resolve VERSION (--applied | --not-applied)</c>; global options <c>--connection</c> (else the environment
/// variable <see cref="ConnectionEnvironmentVariable"/>), <c>--history-schema</c>, <c>--history-table</c>,
/// <c>--lock-timeout SECONDS</c>, <c>--verbose</c>; <c>--help</c> everywhere.
/// </para>
/// <para>
/// Exit codes (<see cref="MigrationExitCode"/>): 0 success; 1 a migration or the database failed, or Ctrl+C;
/// 2 bad usage or an invalid migration set. Progress goes to standard output, errors to standard error as one
/// readable message (the stack trace only with <c>--verbose</c>); colour only on a terminal and without
/// <c>NO_COLOR</c>. Ctrl+C rolls back the migration in flight and releases the lock before exiting.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// return await MigrationCli.RunAsync(args, typeof(Program).Assembly);
/// </code>
/// </example>
public static class MigrationCli
{
    /// <summary>The environment variable read for the connection string when <c>--connection</c> is not given.</summary>
    public const string ConnectionEnvironmentVariable = "CODEMIGRATIONS_CONNECTION";

    /// <summary>Runs the command line against the migrations of <paramref name="assemblies"/>.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="assemblies">The assemblies that hold the migration classes.</param>
    /// <returns>The process exit code: 0, 1 or 2 (see <see cref="MigrationExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, params Assembly[] assemblies)
    {
        var options = new MigrationCliOptions();
        foreach (var assembly in assemblies)
            options.Assemblies.Add(assembly);
        return RunAsync(args, options);
    }

    /// <summary>Runs the command line, with the host's own services available to the migrations' constructors.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="configureServices">Registers the services the migrations need.</param>
    /// <param name="assemblies">The assemblies that hold the migration classes.</param>
    /// <returns>The process exit code: 0, 1 or 2 (see <see cref="MigrationExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, Action<IServiceCollection> configureServices, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        var options = new MigrationCliOptions { ConfigureServices = configureServices };
        foreach (var assembly in assemblies)
            options.Assemblies.Add(assembly);
        return RunAsync(args, options);
    }

    /// <summary>Runs the command line with everything a host can configure.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="options">Assemblies, services, CodeMigrations configuration, and a default database.</param>
    /// <returns>The process exit code: 0, 1 or 2 (see <see cref="MigrationExitCode"/>).</returns>
    public static Task<int> RunAsync(string[] args, MigrationCliOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        return RunAsync(args, options, CliConsole.FromSystemConsole());
    }

    internal static async Task<int> RunAsync(string[] args, MigrationCliOptions options, CliConsole console)
    {
        var verbs = CliVerbs.Create();
        // Connecting starts now, on the command line's connection string, while the command line is parsed and the
        // migrations load; the command uses that data source if its configuration ends up naming that same string.
        await using var warm = PeekConnectionString(args, verbs) is { } connectionString
            ? WarmDataSource.Start(connectionString, CodeMigrationsOptions.DefaultApplicationName)
            : null;
        var commandLine = new CliCommandLine(options, console, verbs, warm);
        var parse = commandLine.Root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction errors)
        {
            // No verb at all: the full help says what there is. Otherwise the error, and typo corrections, are enough.
            // Typo corrections go where the errors go: standard error. Only the help asked for by an empty command
            // line goes to standard output.
            errors.ShowHelp = args.Length == 0;
            // The parser quotes what it did not understand, which may be a connection string typed in the wrong place:
            // its errors are masked before they are printed.
            using var parserErrors = new StringWriter();
            await parse.InvokeAsync(Invocation(args.Length == 0 ? console.Out : parserErrors, parserErrors));
            var unknownVerb = UnknownVerb(args, commandLine.Root);
            if (unknownVerb is not null)
                console.WriteError($"'{ConnectionStrings.MaskPasswords(unknownVerb)}' is not a verb of {commandLine.Root.Name}.");
            var previousBlank = false;
            foreach (var line in ConnectionStrings.MaskPasswords(parserErrors.ToString()).Split('\n').SkipLast(1).Select(l => l.TrimEnd('\r')))
            {
                // For an unknown verb the parser also says no verb was given, and repeats the token: the line above said it.
                if (unknownVerb is not null && (line.StartsWith("Required command was not provided", StringComparison.Ordinal) || line.StartsWith("Unrecognized command or argument", StringComparison.Ordinal)))
                    continue;
                if (line.Length == 0 && previousBlank)
                    continue;
                previousBlank = line.Length == 0;
                console.Error.WriteLine(line);
            }

            if (args.Length > 0)
            {
                var command = parse.CommandResult.Command == commandLine.Root ? commandLine.Root.Name : $"{commandLine.Root.Name} {parse.CommandResult.Command.Name}";
                console.WriteNote($"Run '{command} --help' for the verbs and options.");
            }

            return MigrationExitCode.Usage;
        }

        return await parse.InvokeAsync(Invocation(console.Out, console.Error));
    }

    /// <summary>The first argument when it stands where a verb goes but names none; <see langword="null"/> otherwise.</summary>
    private static string? UnknownVerb(string[] args, Command root) =>
        args.Length > 0 && !args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0] && !c.Aliases.Contains(args[0])) ? args[0] : null;

    /// <summary>
    /// The connection string of a command that connects first (up, down, status...), read ahead of the parse from
    /// <c>--connection</c>/<c>-c</c> or else the environment variable; <see langword="null"/> when there is none or
    /// the command line asks for help. Only a guess: the data source it warms is used only if the parsed configuration
    /// names exactly the same string.
    /// </summary>
    internal static string? PeekConnectionString(string[] args) => PeekConnectionString(args, CliVerbs.Create());

    private static string? PeekConnectionString(string[] args, IReadOnlyList<CliVerb> verbs)
    {
        var connects = false;
        string? connection = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?" or "/?" or "/h" or "--version")
                return null;
            if (!connects && verbs.Any(v => v.ConnectsFirst && v.Name == arg))
                connects = true;
            if (connection is not null)
                continue;
            if (arg is "--connection" or "-c")
                connection = i + 1 < args.Length ? args[i + 1] : null;
            else if (arg.StartsWith("--connection=", StringComparison.Ordinal) || arg.StartsWith("--connection:", StringComparison.Ordinal))
                connection = arg["--connection=".Length..];
        }

        if (!connects)
            return null;
        connection ??= Environment.GetEnvironmentVariable(ConnectionEnvironmentVariable);
        return string.IsNullOrWhiteSpace(connection) ? null : connection;
    }

    private static InvocationConfiguration Invocation(TextWriter output, TextWriter error) => new()
    {
        // Ctrl+C is ours (CancellationSignals): System.CommandLine's handler would end the process after a timeout,
        // possibly before the rollback and the lock release.
        ProcessTerminationTimeout = null,
        EnableDefaultExceptionHandler = false,
        Output = output,
        Error = error,
    };
}
