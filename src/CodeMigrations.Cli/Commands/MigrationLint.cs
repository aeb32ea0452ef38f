using CodeMigrations.Cli.Output;
using CodeMigrations.Execution;
using CodeMigrations.Linting;
using CodeMigrations.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands;

/// <summary>Lints the host's migrations for <c>lint</c>, and warns of the unsafe ones at the start of <c>up</c> and <c>script up</c>.</summary>
internal static class MigrationLint
{
    /// <summary>Lints every migration of the catalog, oldest first, describing each with the command's services.</summary>
    public static async Task<LintReport> RunAsync(CliHost host, CancellationToken cancellationToken) =>
        Lint(await host.GetServicesAsync(cancellationToken));

    /// <summary>
    /// For <c>up</c>: a callback that, for each migration about to run, prints its unsuppressed findings; the catalog is
    /// linted at the first call only, so a run with nothing to do never lints. Never blocks: a migration that cannot be
    /// described is left for the run to report.
    /// </summary>
    public static Action<MigrationInfo> WarnBeforeEach(CliHost host, IServiceProvider services)
    {
        ILookup<long, LintFinding>? findings = null;
        return migration =>
        {
            if (findings is null)
            {
                try
                {
                    findings = Lint(services).Findings.Where(f => !f.Suppressed).ToLookup(f => f.Version);
                }
                catch (MigrationException)
                {
                    findings = Array.Empty<LintFinding>().ToLookup(f => f.Version);
                }
            }

            foreach (var finding in findings[migration.Version])
                Warn(host, finding);
        };
    }

    private static void Warn(CliHost host, LintFinding finding) =>
        host.Console.WriteNote($"warning: {finding.Version} {finding.ClassName}: {finding.Rule.Id}: {PreparedMigrationText.OneLine(finding.Statement, 80)} " +
            "(see 'lint'; suppress with [AllowUnsafe(rule, reason)])", CliColour.Yellow);

    private static LintReport Lint(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<MigrationCatalogSource>().Catalog;
        using var scope = services.CreateScope();
        var inputs = MigrationLintInputs.Describe(catalog.Migrations, services.GetRequiredService<MigrationActivator>(), scope.ServiceProvider);
        return MigrationLinter.Lint(inputs);
    }

    /// <summary>
    /// One warning line per unsuppressed finding in the migrations about to run (<paramref name="willRun"/> picks them,
    /// and is asked only when there is a finding at all). Never blocks: a migration that cannot be described is left
    /// for the run to report.
    /// </summary>
    public static async Task WarnAsync(CliHost host, Func<Task<ISet<long>>> willRun, CancellationToken cancellationToken)
    {
        LintReport report;
        try
        {
            report = await RunAsync(host, cancellationToken);
        }
        catch (MigrationException)
        {
            return;
        }

        var unsuppressed = report.Findings.Where(f => !f.Suppressed).ToList();
        if (unsuppressed.Count == 0)
            return;
        var versions = await willRun();
        foreach (var finding in unsuppressed.Where(f => versions.Contains(f.Version)))
            Warn(host, finding);
    }
}
