using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using CodeMigrations.Schema;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>drift [--json] [--scratch-connection CONNECTION_STRING]</c>: what someone changed by hand, against what the applied migrations produce.</summary>
internal sealed class DriftCommand : CliVerb
{
    private readonly Option<string?> _scratchConnection = VerbOptions.ScratchConnection();

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON array, one object per difference (change, kind, name, property, expected: from the migrations, found: in the database) and nothing else.",
    };

    public DriftCommand()
        : base("drift", "Compare the database with what its applied migrations produce (built on a scratch database): what someone changed by hand. Exit 1 on drift.")
    {
        Command.Options.Add(_scratchConnection);
        Command.Options.Add(_json);
        AcceptTargets(_json);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var services = await host.GetServicesAsync(cancellationToken);
        var console = host.Console;
        var report = await services.GetRequiredService<DriftDetector>().DetectAsync(
            new DriftOptions { ScratchConnectionString = host.Get(_scratchConnection) }, cancellationToken);
        if (host.Get(_json))
        {
            console.WriteBuffered(output => FindingsJson.WriteDrift(output, report));
            return report.HasDrift ? MigrationExitCode.Failure : MigrationExitCode.Success;
        }

        foreach (var note in report.Notes)
            console.WriteNote(note);
        console.WriteLine(report.ToString(), report.HasDrift ? CliColour.Red : CliColour.Green);
        foreach (var difference in report.Differences)
        {
            var mark = difference.Kind switch
            {
                SchemaDifferenceKind.Unexpected => "+",
                SchemaDifferenceKind.Missing => "-",
                _ => "~",
            };
            console.WriteLine($"  {mark} {DriftReport.Describe(difference)}");
        }

        return report.HasDrift ? MigrationExitCode.Failure : MigrationExitCode.Success;
    }

    public override bool ReadsOnly => true;

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<DriftDetector>().DetectAsync(
            new DriftOptions { ScratchConnectionString = host.Get(_scratchConnection) }, cancellationToken);
        return new MigrationTargetWork(Problem: report.HasDrift ? report.ToString() : null);
    }
}
