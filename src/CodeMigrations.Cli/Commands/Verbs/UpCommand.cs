using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>up [--to VERSION] [--dry-run] [--allow-out-of-order]</c>: applies pending migrations, oldest first.</summary>
internal sealed class UpCommand : CliVerb
{
    private readonly Option<long?> _to = VerbOptions.Version("--to", "The last version to apply; it must name a migration.");
    private readonly Option<bool> _dryRun = VerbOptions.DryRun();

    private readonly Option<bool> _allowOutOfOrder = new("--allow-out-of-order")
    {
        Description = "Apply pending migrations older than the newest applied one instead of refusing.",
    };

    public UpCommand()
        : base("up", "Apply pending migrations, oldest first: all of them, or up to and including --to VERSION.")
    {
        Command.Options.Add(_to);
        Command.Options.Add(_dryRun);
        Command.Options.Add(_allowOutOfOrder);
        AcceptTargets();
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        host.DryRun = host.Get(_dryRun);
        var runner = await host.GetRunnerAsync(MigrationDirection.Up, cancellationToken);
        var target = host.Get(_to);
        // Linted only once a migration is about to run, so an up with nothing to do pays nothing for it; each warning
        // is printed just before its migration.
        if (host.Progress is { } progress)
            progress.BeforeEach = MigrationLint.WarnBeforeEach(host, await host.GetServicesAsync(cancellationToken));
        var result = await runner.UpAsync(new MigrationRunOptions
        {
            Target = target,
            DryRun = host.DryRun,
            AllowOutOfOrder = host.Get(_allowOutOfOrder),
        }, cancellationToken);
        if (result.DryRun)
            return DryRunReport.Write(host.Console, result);
        if (result.Migrations.Count == 0)
        {
            host.Console.WriteLine(target is null
                ? "Database is up to date: nothing to apply."
                : $"Database is up to date up to {target}: nothing to apply.");
        }
        else
        {
            host.Console.WriteLine($"Applied {Durations.Migrations(result.Migrations.Count)} in {Durations.Seconds(result.Duration)}.", CliColour.Green);
        }

        return MigrationExitCode.Success;
    }

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<IMigrationRunner>().UpAsync(new MigrationRunOptions
        {
            Target = host.Get(_to),
            DryRun = host.Get(_dryRun),
            AllowOutOfOrder = host.Get(_allowOutOfOrder),
        }, cancellationToken);
        return new MigrationTargetWork(Applied: result.DryRun ? 0 : result.Migrations.Count);
    }
}
