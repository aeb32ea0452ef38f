using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary>
/// <c>verify [--from VERSION] [--strict] [--json] [--scratch-connection CONNECTION_STRING]</c>: proves on a scratch
/// database that every Down reverses its Up.
/// </summary>
internal sealed class VerifyCommand : CliVerb
{
    private readonly Option<string?> _scratchConnection = VerbOptions.ScratchConnection();

    private readonly Option<long?> _from = VerbOptions.Version("--from",
        "Judge only this version and the later ones; the older migrations are applied plainly first (what a pull request adds).");

    private readonly Option<bool> _strict = new("--strict")
    {
        Description = "Exit 1 on notes too (column-order-only, time-literals-only), not only on failures.",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON array, one object per migration (version, className, outcome, notes, error, differences: after, change, kind, name, property, expected, found) and nothing else.",
    };

    public VerifyCommand()
        : base("verify", "Prove that every Down reverses its Up: on a scratch database, for each migration in order, snapshot the schema, Up, snapshot, Down, snapshot (must equal the first), Up again (must equal the second). Every migration gets one outcome: ok, down-failed, down-differs, up-again-fails, up-again-differs, up-failed, irreversible; notes column-order-only and time-literals-only. Exit 1 when any migration fails (with --strict, on notes too).")
    {
        Command.Options.Add(_scratchConnection);
        Command.Options.Add(_from);
        Command.Options.Add(_strict);
        Command.Options.Add(_json);
        AcceptTargets(_json);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var services = await host.GetServicesAsync(cancellationToken);
        var console = host.Console;
        var json = host.Get(_json);
        var result = await services.GetRequiredService<MigrationVerifier>().VerifyAsync(
            new VerificationOptions
            {
                ScratchConnectionString = host.Get(_scratchConnection),
                From = host.Get(_from),
                Progress = json ? null : new VerificationPrinter(console),
            }, cancellationToken);
        var passed = result.Succeeded && !(host.Get(_strict) && result.HasNotes);
        if (json)
        {
            console.WriteBuffered(output => FindingsJson.WriteVerification(output, result));
            return passed ? MigrationExitCode.Success : MigrationExitCode.Failure;
        }

        foreach (var skipped in result.NotVerified)
            console.WriteLine($"– {skipped}: not verified", CliColour.Yellow);
        foreach (var note in result.Notes)
            console.WriteNote(note);
        console.WriteLine(result.ToString(), result.Succeeded ? (result.HasNotes ? CliColour.Yellow : CliColour.Green) : CliColour.Red);
        return passed ? MigrationExitCode.Success : MigrationExitCode.Failure;
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
            foreach (var note in value.NoteLines)
                console.WriteLine($"    note: {note}");
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
