using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>baseline VERSION</c>: adopts an existing database by recording migrations as applied without running them.</summary>
internal sealed class BaselineCommand : CliVerb
{
    private readonly Argument<long> _version = VerbOptions.VersionArgument(
        "The newest migration already in place: it and every older one are recorded as applied without running.");

    public BaselineCommand()
        : base("baseline", "Adopt an existing database: record every migration up to and including VERSION as applied (baseline) without running it.")
    {
        Command.Arguments.Add(_version);
        AcceptTargets();
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var version = host.Get(_version);
        var recorded = await runner.BaselineAsync(version, cancellationToken);
        var console = host.Console;
        if (recorded.Count == 0)
        {
            console.WriteLine($"Nothing to record: every migration up to {version} is in the history already.");
            return MigrationExitCode.Success;
        }

        foreach (var migration in recorded)
            console.WriteLine($"{console.Paint(console.Symbols.Done, CliColour.Green)} {migration} recorded as baseline");
        console.WriteLine($"Baseline: recorded {Durations.Migrations(recorded.Count)} up to {version} as applied, without running them.", CliColour.Green);
        return MigrationExitCode.Success;
    }

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IMigrationRunner>().BaselineAsync(host.Get(_version), cancellationToken);
        return MigrationTargetWork.None;
    }
}
