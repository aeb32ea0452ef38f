using System.CommandLine;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>resolve VERSION (--applied | --not-applied)</c>: records the outcome of a failed migration without a transaction.</summary>
internal sealed class ResolveCommand : CliVerb
{
    private readonly Argument<long> _version = VerbOptions.VersionArgument("The version that carries the failed mark (see status).");

    private readonly Option<bool> _applied = new("--applied")
    {
        Description = "Its changes are fully in place (completed by hand): record it as applied.",
    };

    private readonly Option<bool> _notApplied = new("--not-applied")
    {
        Description = "None of its changes remain (undone by hand): remove the mark, so the next up runs it again.",
    };

    public ResolveCommand()
        : base("resolve", "Record the outcome of a migration without a transaction that failed or was interrupted, once you have completed or undone its statements by hand.")
    {
        Command.Arguments.Add(_version);
        Command.Options.Add(_applied);
        Command.Options.Add(_notApplied);
        Command.Validators.Add(result =>
        {
            var applied = result.GetResult(_applied) is not null;
            var notApplied = result.GetResult(_notApplied) is not null;
            if (applied == notApplied)
                result.AddError("Give exactly one of --applied (its changes are fully in place) or --not-applied (none of them remain).");
        });
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var version = host.Get(_version);
        var resolution = host.Get(_applied) ? MigrationResolution.Applied : MigrationResolution.NotApplied;
        try
        {
            await runner.ResolveAsync(version, resolution, cancellationToken);
        }
        catch (MigrationException e) when (e.GetType() == typeof(MigrationException))
        {
            // The core raises the base type when the version carries no failed mark: the user asked for something
            // that does not apply, which is bad usage rather than a failure.
            throw new ResolveRefusedException(e);
        }

        host.Console.WriteLine(resolution == MigrationResolution.Applied
            ? $"Resolved {version}: recorded as applied."
            : $"Resolved {version}: its mark is removed, so it counts as not applied and the next up runs it again.", CliColour.Green);
        return MigrationExitCode.Success;
    }
}
