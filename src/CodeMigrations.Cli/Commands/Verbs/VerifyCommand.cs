using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>verify [--scratch-connection CONNECTION_STRING]</c>: proves on a scratch database that every Down reverses its Up.</summary>
internal sealed class VerifyCommand : CliVerb
{
    private readonly Option<string?> _scratchConnection = VerbOptions.ScratchConnection();

    public VerifyCommand()
        : base("verify", "Prove that every Down reverses its Up: on a scratch database, for each migration in order, snapshot the schema, Up, snapshot, Down, snapshot (must equal the first), Up again (must equal the second). Exit 1 when any migration fails.")
    {
        Command.Options.Add(_scratchConnection);
        AcceptTargets();
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var services = await host.GetServicesAsync(cancellationToken);
        var console = host.Console;
        var result = await services.GetRequiredService<MigrationVerifier>().VerifyAsync(
            new VerificationOptions { ScratchConnectionString = host.Get(_scratchConnection), Progress = new VerificationPrinter(console) }, cancellationToken);
        foreach (var skipped in result.NotVerified)
            console.WriteLine($"– {skipped}: not verified", CliColour.Yellow);
        foreach (var note in result.Notes)
            console.WriteNote(note);
        console.WriteLine(result.ToString(), result.Succeeded ? CliColour.Green : CliColour.Red);
        return result.Succeeded ? MigrationExitCode.Success : MigrationExitCode.Failure;
    }

    /// <summary>Prints each migration's verification as it finishes (synchronously, in order).</summary>
    private sealed class VerificationPrinter(CliConsole console) : IProgress<MigrationVerification>
    {
        public void Report(MigrationVerification value)
        {
            var mark = value.Succeeded ? console.Paint(console.Symbols.Done, CliColour.Green) : console.Paint(console.Symbols.Failed, CliColour.Red);
            console.WriteLine($"{mark} {value}");
            foreach (var problem in value.Problems)
                console.WriteLine($"    {problem}");
        }
    }

    public override bool ReadsOnly => true;

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await services.GetRequiredService<MigrationVerifier>().VerifyAsync(
            new VerificationOptions { ScratchConnectionString = host.Get(_scratchConnection) }, cancellationToken);
        return new MigrationTargetWork(Problem: result.Succeeded ? null : result.ToString());
    }
}
