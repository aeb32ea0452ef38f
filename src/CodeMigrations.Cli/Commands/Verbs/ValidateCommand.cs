using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>validate [--json]</c>: compares the history with the code; exit 1 on any finding.</summary>
internal sealed class ValidateCommand : CliVerb
{
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON array, one object per finding (version, className, problem, message) and nothing else.",
    };

    public ValidateCommand()
        : base("validate", "Compare the history with the code: applied migrations whose checksum changed, applied versions without a class, pending migrations older than the newest applied one, unresolved failures. Exit 1 on any finding.")
    {
        Command.Options.Add(_json);
        AcceptTargets(_json);
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var findings = await runner.ValidateAsync(cancellationToken);
        var console = host.Console;
        if (host.Get(_json))
        {
            console.WriteBuffered(output => FindingsJson.WriteValidation(output, findings));
            return findings.Count == 0 ? MigrationExitCode.Success : MigrationExitCode.Failure;
        }

        if (findings.Count == 0)
        {
            console.WriteLine("Valid: the history and the code agree.", CliColour.Green);
            return MigrationExitCode.Success;
        }

        foreach (var finding in findings)
            console.WriteLine($"{console.Paint(console.Symbols.Failed, CliColour.Red)} {finding.Message}");
        console.WriteLine($"{findings.Count} finding{(findings.Count == 1 ? "" : "s")}.", CliColour.Red);
        return MigrationExitCode.Failure;
    }

    public override bool ReadsOnly => true;

    public override async Task<MigrationTargetWork> RunOnTargetAsync(CliHost host, IServiceProvider services, CancellationToken cancellationToken)
    {
        var findings = await services.GetRequiredService<IMigrationRunner>().ValidateAsync(cancellationToken);
        return new MigrationTargetWork(Problem: findings.Count == 0 ? null : string.Join(Environment.NewLine, findings.Select(f => f.Message)));
    }
}
