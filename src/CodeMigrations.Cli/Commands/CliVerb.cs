using System.CommandLine;
using CodeMigrations.Cli.Fleet;
using CodeMigrations.Fleet;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// One verb of the command line: its System.CommandLine definition (the arguments and options it takes, its validators)
/// and its action. What every verb shares (the services, the database, Ctrl+C, error messages and exit codes, the
/// output) comes from the <see cref="CliHost"/> it runs in. A new verb is a subclass and one line in <see cref="CliVerbs"/>.
/// </summary>
internal abstract class CliVerb
{
    protected CliVerb(string name, string description)
    {
        Command = new Command(name, description);
    }

    /// <summary>The verb's System.CommandLine command, with its own arguments and options (the global ones come from the root).</summary>
    public Command Command { get; }

    public string Name => Command.Name;

    /// <summary>
    /// Whether its first database work is to connect to the configured database (most such verbs then take the lock): the
    /// host then starts connecting on the command line's connection string before the command line is even parsed.
    /// </summary>
    public virtual bool ConnectsFirst => false;

    /// <summary>Whether its services need a database: false for a verb that only reads the migrations (<c>lint</c>).</summary>
    public virtual bool NeedsDatabase => true;

    /// <summary>Does the verb's work and returns its exit code; what it throws, the host reports (<see cref="ReportFailure"/>).</summary>
    public abstract Task<int> RunAsync(CliHost host, CancellationToken cancellationToken);

    /// <summary>Its <c>--targets</c>/<c>--targets-query</c> options, when it can run on many databases (<see cref="RunOnTargetAsync"/>).</summary>
    public FleetOptions? Fleet { get; private set; }

    /// <summary>Whether it only reads: on many databases, it still runs on one with a failed mark instead of skipping it.</summary>
    public virtual bool ReadsOnly => false;

    /// <summary>The verb's work on one database of a fleet, quietly: what it applied or reverted, or what it found wrong.</summary>
    /// <param name="host">The command.</param>
    /// <param name="services">That database's services.</param>
    /// <param name="cancellationToken">The command's token.</param>
    public virtual Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"'{Name}' runs on one database only.");

    /// <summary>Lets the verb run on many databases: adds <c>--targets</c>, <c>--targets-query</c>, <c>--parallel</c> (and <c>--json</c> unless given).</summary>
    protected void AcceptTargets(Option<bool>? json = null) => Fleet = new FleetOptions(Command, json);

    /// <summary>Says what a Ctrl+C (or SIGTERM) left behind; returns the exit code.</summary>
    public virtual int ReportCancelled(CliHost host, Exception error) => host.ReportCancelled(error);

    /// <summary>Says what went wrong, as one readable message; returns the exit code.</summary>
    public virtual int ReportFailure(CliHost host, Exception error) => host.ReportFailure(error);
}
