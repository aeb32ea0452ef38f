using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Linting;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>lint [--strict] [--json]</c>: the statements of the migrations that would hurt a live table; no database needed.</summary>
internal sealed class LintCommand : CliVerb
{
    private readonly Option<bool> _strict = new("--strict")
    {
        Description = "Exit 1 on any finding that no [AllowUnsafe] suppresses (for CI).",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print a JSON array, one object per finding (version, className, rule, statement, message, suppressed, reason).",
    };

    public LintCommand()
        : base("lint", $"Read every migration's Up SQL, without a database, and report the statements that lock, rewrite or scan a live table, or break running code, with the safe way to do each (rules: {LintRules.HelpLink}).")
    {
        Command.Options.Add(_strict);
        Command.Options.Add(_json);
    }

    public override bool NeedsDatabase => false;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var report = await MigrationLint.RunAsync(host, cancellationToken);
        var console = host.Console;
        if (host.Get(_json))
            console.WriteBuffered(output => LintJson.Write(output, report.Findings));
        else
            WriteText(console, report);

        foreach (var step in report.SkippedSteps)
            console.WriteNote($"Skipped: {step.Version} {step.ClassName} step {step.Step} runs .NET code, which lint cannot read.", CliColour.Dim);
        foreach (var problem in report.Problems)
            console.WriteNote($"warning: {problem}", CliColour.Yellow);

        var unsuppressed = report.Findings.Count(f => !f.Suppressed);
        return host.Get(_strict) && (unsuppressed > 0 || report.Problems.Count > 0) ? MigrationExitCode.Failure : MigrationExitCode.Success;
    }

    private static void WriteText(CliConsole console, LintReport report)
    {
        foreach (var finding in report.Findings)
        {
            if (finding.Suppressed)
            {
                console.WriteLine($"{console.Paint("suppressed", CliColour.Dim)} {finding.Version} {finding.ClassName}: {finding.Rule.Id}: {finding.SuppressedBecause}");
                continue;
            }

            console.WriteLine($"{console.Paint(console.Symbols.Failed, CliColour.Yellow)} {finding.Version} {finding.ClassName} step {finding.Step}: {console.Paint(finding.Rule.Id, CliColour.Yellow)}");
            console.WriteLine($"    {PreparedMigrationText.OneLine(finding.Statement)}");
            console.WriteLine($"    {finding.Message}");
        }

        var unsuppressed = report.Findings.Count(f => !f.Suppressed);
        var suppressed = report.Findings.Count - unsuppressed;
        var summary = unsuppressed == 0
            ? "No unsafe statements found"
            : $"{unsuppressed} unsafe statement{(unsuppressed == 1 ? "" : "s")} found";
        console.WriteLine(suppressed == 0 ? $"{summary}." : $"{summary}; {suppressed} suppressed with [AllowUnsafe].",
            unsuppressed == 0 ? CliColour.Green : CliColour.Yellow);
    }
}
