using CodeMigrations.Cli.Output;
using CodeMigrations.Schema;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands;

/// <summary>schema, verify and drift.</summary>
internal sealed partial class CliSession
{
    private Task<int> RunVerificationVerbAsync(CliVerb verb, IServiceProvider provider, CancellationToken ct) => verb switch
    {
        CliVerb.Schema => SchemaAsync(provider, ct),
        CliVerb.Verify => VerifyAsync(provider, ct),
        _ => DriftAsync(provider, ct),
    };

    private async Task<int> SchemaAsync(IServiceProvider provider, CancellationToken ct)
    {
        var text = (await provider.GetRequiredService<SchemaReader>().ReadAsync(ct)).ToText();
        if (_parse.GetValue(_commandLine.SchemaOutput) is { } file)
        {
            await File.WriteAllTextAsync(file, text, ct);
            _console.WriteNote($"Wrote the schema to {file}.");
        }
        else
        {
            await _console.Out.WriteAsync(text);
        }

        return MigrationExitCode.Success;
    }

    private async Task<int> VerifyAsync(IServiceProvider provider, CancellationToken ct)
    {
        var printer = new VerificationPrinter(_console);
        var result = await provider.GetRequiredService<MigrationVerifier>().VerifyAsync(
            new VerificationOptions { ScratchConnectionString = _parse.GetValue(_commandLine.ScratchConnection), Progress = printer }, ct);
        foreach (var skipped in result.NotVerified)
            _console.WriteLine($"– {skipped}: not verified", CliColour.Yellow);
        foreach (var note in result.Notes)
            _console.WriteNote(note);
        _console.WriteLine(result.ToString(), result.Succeeded ? CliColour.Green : CliColour.Red);
        return result.Succeeded ? MigrationExitCode.Success : MigrationExitCode.Failure;
    }

    private async Task<int> DriftAsync(IServiceProvider provider, CancellationToken ct)
    {
        var report = await provider.GetRequiredService<DriftDetector>().DetectAsync(
            new DriftOptions { ScratchConnectionString = _parse.GetValue(_commandLine.ScratchConnection) }, ct);
        foreach (var note in report.Notes)
            _console.WriteNote(note);
        _console.WriteLine(report.ToString(), report.HasDrift ? CliColour.Red : CliColour.Green);
        foreach (var difference in report.Differences)
        {
            var mark = difference.Kind switch
            {
                SchemaDifferenceKind.Unexpected => "+",
                SchemaDifferenceKind.Missing => "-",
                _ => "~",
            };
            _console.WriteLine($"  {mark} {DriftReport.Describe(difference)}");
        }

        return report.HasDrift ? MigrationExitCode.Failure : MigrationExitCode.Success;
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
}
