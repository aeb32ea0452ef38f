using CodeMigrations.Authoring;
using CodeMigrations.Cli.Output;
using CodeMigrations.Loading;

namespace CodeMigrations.Cli.Commands;

/// <summary>The verbs that check history against code, adopt databases, and show before doing.</summary>
internal sealed partial class CliSession
{
    private Task<int> RunSafetyVerbAsync(CliVerb verb, IMigrationRunner runner, CancellationToken ct) => verb switch
    {
        CliVerb.Validate => ValidateAsync(runner, ct),
        CliVerb.AcceptChecksums => AcceptChecksumsAsync(runner, ct),
        CliVerb.Baseline => BaselineAsync(runner, ct),
        CliVerb.Redo => RedoAsync(runner, ct),
        CliVerb.Script => ScriptAsync(runner, ct),
        _ => throw new InvalidOperationException($"No handler for {verb}."),
    };

    private async Task<int> ValidateAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var findings = await runner.ValidateAsync(ct);
        if (findings.Count == 0)
        {
            _console.WriteLine("Valid: the history and the code agree.", CliColour.Green);
            return MigrationExitCode.Success;
        }

        foreach (var finding in findings)
            _console.WriteLine($"{_console.Paint(_console.Symbols.Failed, CliColour.Red)} {finding.Message}");
        _console.WriteLine($"{findings.Count} finding{(findings.Count == 1 ? "" : "s")}.", CliColour.Red);
        return MigrationExitCode.Failure;
    }

    private async Task<int> AcceptChecksumsAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var changed = await runner.AcceptChecksumsAsync(ct);
        _console.WriteLine(changed.Count == 0
            ? "Every applied migration's recorded checksum already matches its code: nothing to accept."
            : $"Accepted the current code of {Durations.Migrations(changed.Count)}: {string.Join(", ", changed)}.", CliColour.Green);
        return MigrationExitCode.Success;
    }

    private async Task<int> BaselineAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var version = _parse.GetValue(_commandLine.BaselineVersion);
        var recorded = await runner.BaselineAsync(version, ct);
        if (recorded.Count == 0)
        {
            _console.WriteLine($"Nothing to record: every migration up to {version} is in the history already.");
            return MigrationExitCode.Success;
        }

        foreach (var migration in recorded)
            _console.WriteLine($"{_console.Paint(_console.Symbols.Done, CliColour.Green)} {migration} recorded as baseline");
        _console.WriteLine($"Baseline: recorded {Durations.Migrations(recorded.Count)} up to {version} as applied, without running them.", CliColour.Green);
        return MigrationExitCode.Success;
    }

    private async Task<int> RedoAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var result = await runner.RedoAsync(_parse.GetValue(_commandLine.RedoSteps) ?? 1, ct);
        _console.WriteLine(result.Reverted.Migrations.Count == 0
            ? "Nothing to redo: no migration is applied."
            : $"Redone {Durations.Migrations(result.Applied.Migrations.Count)} in {Durations.Seconds(result.Reverted.Duration + result.Applied.Duration)}.", CliColour.Green);
        return MigrationExitCode.Success;
    }

    private async Task<int> ScriptAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var direction = _parse.GetValue(_commandLine.ScriptDirection) == "down" ? MigrationDirection.Down : MigrationDirection.Up;
        var script = await runner.ScriptAsync(direction, new MigrationScriptOptions
        {
            Target = _parse.GetValue(_commandLine.ScriptTo),
            Idempotent = _parse.GetValue(_commandLine.Idempotent),
        }, ct);
        if (_parse.GetValue(_commandLine.ScriptOutput) is { } file)
        {
            await File.WriteAllTextAsync(file, script.Sql, ct);
            _console.WriteNote($"Wrote the {(direction == MigrationDirection.Up ? "up" : "down")} script of {Durations.Migrations(script.Migrations.Count)} to {file}.");
        }
        else
        {
            await _console.Out.WriteAsync(script.Sql);
        }

        if (script.UnscriptableSteps.Count == 0)
            return MigrationExitCode.Success;
        foreach (var step in script.UnscriptableSteps)
            _console.WriteNote($"warning: {step}; the script holds a comment in its place.", CliColour.Yellow);
        if (_parse.GetValue(_commandLine.AllowCodeSteps))
            return MigrationExitCode.Success;
        _console.WriteError($"The script is incomplete: {script.UnscriptableSteps.Count} step{(script.UnscriptableSteps.Count == 1 ? "" : "s")} cannot be written as SQL. " +
            "Apply those migrations with 'up', or pass --allow-code-steps to accept the script with comments in their place.");
        return MigrationExitCode.Usage;
    }

    private int NewMigration()
    {
        var name = _parse.GetValue(_commandLine.NewName) ?? "";
        var directory = _parse.GetValue(_commandLine.NewDirectory)
            ?? (Directory.Exists("Migrations") ? "Migrations" : ".");
        try
        {
            // The versions already taken come from the host's own migrations: attributes only, no database.
            var configured = new CodeMigrationsOptions();
            _host.ConfigureMigrations?.Invoke(configured);
            MigrationCatalog? catalog = null;
            try
            {
                catalog = MigrationLoader.Load(_host.Assemblies.Concat(configured.Assemblies), configured.TypeFilter, null);
            }
            catch (InvalidMigrationSetException e)
            {
                _console.WriteNote($"warning: the existing migrations are not a valid set, so the new version could not be checked against them. {e.Message}", CliColour.Yellow);
            }

            var (path, version) = NewMigrationWriter.Write(name, directory, DateTime.UtcNow, catalog);
            _console.WriteLine($"Created {Path.GetRelativePath(Environment.CurrentDirectory, path)} (version {version}).", CliColour.Green);
            return MigrationExitCode.Success;
        }
        catch (MigrationException e)
        {
            _console.WriteError(e.Message);
            return MigrationExitCode.Usage;
        }
    }

    private int ReportDryRun(MigrationRunResult result)
    {
        var verb = result.Direction == MigrationDirection.Up ? "apply" : "revert";
        _console.WriteLine(result.Migrations.Count == 0 && result.NotDryRun.Count == 0
            ? $"Dry run: nothing to {verb}."
            : $"Dry run: {Durations.Migrations(result.Migrations.Count)} would {verb} ({Durations.Seconds(result.Duration)}); everything was rolled back, nothing changed.", CliColour.Green);
        if (result.NotDryRun.Count > 0)
        {
            _console.WriteLine(
                $"Not tried: {string.Join(", ", result.NotDryRun)} — {result.NotDryRun[0]} runs without a transaction and cannot be dry-run, so it and the migrations after it were not tried.",
                CliColour.Yellow);
        }

        return MigrationExitCode.Success;
    }
}
