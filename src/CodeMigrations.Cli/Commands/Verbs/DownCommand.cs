using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>down [--to VERSION | --steps N] [--dry-run]</c>: reverts applied migrations, newest first.</summary>
internal sealed class DownCommand : CliVerb
{
    private readonly Option<long?> _to = VerbOptions.Version("--to", "Revert every applied migration above this version; 0 reverts all.");
    private readonly Option<int?> _steps = VerbOptions.Steps("Revert the newest N applied migrations.");
    private readonly Option<bool> _dryRun = VerbOptions.DryRun();

    public DownCommand()
        : base("down", "Revert applied migrations, newest first: the newest one by default, those above --to VERSION (0 reverts all), or the newest --steps N.")
    {
        Command.Options.Add(_to);
        Command.Options.Add(_steps);
        Command.Options.Add(_dryRun);
        AcceptTargets();
        Command.Validators.Add(result =>
        {
            if (result.GetResult(_to) is not null && result.GetResult(_steps) is not null)
                result.AddError("Give either --to VERSION or --steps N, not both.");
        });
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        host.DryRun = host.Get(_dryRun);
        var runner = await host.GetRunnerAsync(MigrationDirection.Down, cancellationToken);
        var target = host.Get(_to);
        var result = await runner.DownAsync(new MigrationRunOptions { Target = target, Steps = host.Get(_steps), DryRun = host.DryRun }, cancellationToken);
        if (result.DryRun)
            return DryRunReport.Write(host.Console, result);
        if (result.Migrations.Count == 0)
        {
            host.Console.WriteLine(target is > 0
                ? $"Nothing to revert: no applied migration is above {target}."
                : "Nothing to revert: no migration is applied.");
        }
        else
        {
            host.Console.WriteLine($"Reverted {Durations.Migrations(result.Migrations.Count)} in {Durations.Seconds(result.Duration)}.", CliColour.Green);
        }

        return MigrationExitCode.Success;
    }

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<IMigrationRunner>().DownAsync(
            new MigrationRunOptions { Target = host.Get(_to), Steps = host.Get(_steps), DryRun = host.Get(_dryRun) }, cancellationToken);
        return new MigrationTargetWork(Reverted: result.DryRun ? 0 : result.Migrations.Count);
    }
}
