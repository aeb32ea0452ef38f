using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>status [--json]</c>: every migration, applied or pending, and what the history holds beyond them.</summary>
internal sealed class StatusCommand : CliVerb
{
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON array (version, name, className, state, appliedAt, durationMs, appliedBy, error) and nothing else.",
    };

    public StatusCommand()
        : base("status", "Show every migration: applied or pending, when and how long; applied versions missing from the code and failed marks too.")
    {
        Command.Options.Add(_json);
        AcceptTargets(_json);
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var lines = await runner.GetStatusAsync(cancellationToken);
        if (host.Get(_json))
            host.Console.WriteBuffered(output => StatusJson.Write(output, lines));
        else
            StatusTable.Write(host.Console, lines);
        return MigrationExitCode.Success;
    }

    public override int ReportCancelled(CliHost host, Exception error) => host.ReportCancelled(error, "Cancelled: the lock was released.");

    public override bool ReadsOnly => true;

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        // The fleet reads the status itself (the versions before and after); a failed mark is this verb's to report.
        var lines = await services.GetRequiredService<IMigrationRunner>().GetStatusAsync(cancellationToken);
        var pending = lines.Count(l => l.State == MigrationState.Pending);
        var marks = lines.Where(l => l.State is MigrationState.FailedUp or MigrationState.FailedDown).Select(l => l.Version).ToList();
        return new MigrationTargetWork(Problem: marks.Count > 0
            ? $"Migration {string.Join(", ", marks)} failed without a transaction and is not resolved; {pending} pending."
            : null);
    }
}
