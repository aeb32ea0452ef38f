using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using CodeMigrations.Cli.Commands;
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
        var commandLine = new CliCommandLine(options, console);
        var parse = commandLine.Root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction errors)
        {
            // No verb at all: the full help says what there is. Otherwise the error, and typo corrections, are enough.
            // Typo corrections go where the errors go: standard error. Only the help asked for by an empty command
            // line goes to standard output.
            errors.ShowHelp = args.Length == 0;
            await parse.InvokeAsync(Invocation(args.Length == 0 ? console.Out : console.Error, console.Error));
            if (args.Length > 0)
            {
                var command = parse.CommandResult.Command == commandLine.Root ? commandLine.Root.Name : $"{commandLine.Root.Name} {parse.CommandResult.Command.Name}";
                console.WriteNote($"Run '{command} --help' for the verbs and options.");
            }

            return MigrationExitCode.Usage;
        }

        return await parse.InvokeAsync(Invocation(console.Out, console.Error));
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
