using CodeMigrations.Cli.Commands;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;

namespace CodeMigrations.Cli.Fleet;

/// <summary>
/// Runs a verb on many databases: finds the targets (<see cref="FleetTargets"/>), runs the verb's single-database
/// operation (<see cref="CliVerb.RunOnTargetAsync"/>) on each through <see cref="MigrationFleet"/>, each with the
/// services the command line would build for it alone (<see cref="CliHost.CreateTargetServices"/>), prints progress
/// (<see cref="FleetProgress"/>) and the summary or JSON (<see cref="FleetSummary"/>). Exit 0 only when every target is ok.
/// </summary>
internal sealed class FleetRunner(CliHost host, CliVerb verb, FleetOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var targets = await FleetTargets.ResolveAsync(host, options, cancellationToken);
        var json = host.Get(options.Json);
        var console = host.Console;
        var parallel = host.Get(options.Parallel) ?? MigrationFleetOptions.DefaultMaxParallelism;
        IReadOnlyList<MigrationTargetResult> results;
        await using var shared = new FleetSharedParts();
        using (var progress = new FleetProgress(console, live: console.OutColour, quiet: json))
        {
            var fleet = new MigrationFleet(new TargetServices(host, shared), progress);
            results = await fleet.RunAsync(targets, new MigrationFleetOptions
            {
                MaxParallelism = parallel,
                SkipTargetsWithFailedMarks = !verb.ReadsOnly,
            }, (target, services, token) => verb.RunOnTargetAsync(host, services, token), cancellationToken);
        }

        if (json)
        {
            console.WriteBuffered(output => FleetSummary.WriteJson(output, results));
        }
        else
        {
            console.WriteLine("");
            FleetSummary.WriteTable(console, results);
        }

        if (cancellationToken.IsCancellationRequested)
            console.WriteError("Cancelled: no further database was started; those in flight rolled back their migration in flight and released their lock.");
        if (host.Verbose)
        {
            foreach (var result in results.Where(r => r.Exception is not null))
                console.WriteNote($"{result.Target.Label}: {Database.ConnectionStrings.MaskPasswords(result.Exception!.ToString())}", CliColour.Dim);
        }

        return results.All(r => r.State == MigrationTargetState.Ok) ? MigrationExitCode.Success : MigrationExitCode.Failure;
    }

    private sealed class TargetServices(CliHost host, FleetSharedParts shared) : IMigrationTargetServices
    {
        public IServiceProvider Create(MigrationTarget target, IMigrationObserver? observer) => host.CreateTargetServices(target, observer, shared);
    }
}
