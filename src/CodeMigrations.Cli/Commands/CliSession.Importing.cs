using CodeMigrations.Cli.Output;
using CodeMigrations.Importing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands;

/// <summary>import and import-history.</summary>
internal sealed partial class CliSession
{
    /// <summary>import: reads files and writes files; no database, no services.</summary>
    public async Task<int> RunImportAsync(CancellationToken cancellationToken)
    {
        using var signals = new CancellationSignals(_console);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, cancellationToken);
        try
        {
            var format = MigrationSourceFormats.Parse(_parse.GetValue(_commandLine.ImportFormat)!);
            var source = await MigrationSourceReader.ReadAsync(_parse.GetValue(_commandLine.ImportFrom)!, format, linked.Token);
            var result = await MigrationImportWriter.WriteAsync(source, new MigrationImportOptions
            {
                OutputDirectory = _parse.GetValue(_commandLine.ImportOut) ?? "Migrations",
                Namespace = _parse.GetValue(_commandLine.ImportNamespace),
                CliProjectPath = _parse.GetValue(_commandLine.ImportCliProject),
            }, linked.Token);
            ReportImport(source, result);
            return MigrationExitCode.Success;
        }
        catch (MigrationImportException e)
        {
            _console.WriteError(e.Message);
            return MigrationExitCode.Usage;
        }
        catch (Exception e) when (linked.IsCancellationRequested && e is OperationCanceledException)
        {
            _console.WriteError("Cancelled: the files written before the cancellation stay.");
            return MigrationExitCode.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _console.WriteError($"Import failed: {e.Message}");
            return MigrationExitCode.Failure;
        }
        finally
        {
            await _console.Out.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>import-history: the host's database, history table and migration classes, as for up.</summary>
    public async Task<int> RunImportHistoryAsync(CancellationToken cancellationToken)
    {
        using var signals = new CancellationSignals(_console);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, cancellationToken);
        var ct = linked.Token;
        MigrationCliDatabase? database = null;
        ServiceProvider? provider = null;
        try
        {
            var tool = ForeignMigrationTools.Parse(_parse.GetValue(_commandLine.ImportHistoryFrom)!);
            var services = new ServiceCollection();
            _host.ConfigureServices?.Invoke(services);
            var options = ConfigureMigrations(services);
            if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.DataSource is null)
            {
                database = await FindDefaultDatabaseAsync(ct);
                options.ConnectionString = database.ConnectionString;
            }

            provider = services.BuildServiceProvider();
            var result = await new MigrationHistoryImporter(options, provider).ImportAsync(tool, _parse.GetValue(_commandLine.ImportHistoryTable), ct);
            ReportHistoryImport(result);
            return MigrationExitCode.Success;
        }
        catch (Exception e) when (linked.IsCancellationRequested && IsCancellation(e))
        {
            _console.WriteError("Cancelled: nothing was recorded, and the lock was released.");
            return MigrationExitCode.Failure;
        }
        catch (Exception e)
        {
            return ErrorReport.Report(_console, e, _verbose);
        }
        finally
        {
            await EndAsync(provider, database);
        }
    }

    private void ReportImport(MigrationSource source, MigrationImportResult result)
    {
        var format = MigrationSourceFormats.NameOf(source.Format);
        _console.WriteLine($"Imported {Durations.Migrations(result.Migrations.Count)} from {format} ({Shown(source.Directory)}) " +
            $"into {Shown(result.OutputDirectory)}, namespace {result.Namespace}:");
        var width = result.Migrations.Max(m => m.Source.Version.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        foreach (var migration in result.Migrations)
        {
            var mark = migration.Source.IrreversibleReason is null ? "" : _console.Paint("  [irreversible: no down]", CliColour.Yellow);
            if (migration.Source.IrreversibleReason is { } reason && reason.Contains("commented out", StringComparison.Ordinal))
                mark = _console.Paint("  [irreversible: down commented out]", CliColour.Yellow);
            var transaction = migration.Source.UseTransaction ? "" : _console.Paint("  [no transaction]", CliColour.Yellow);
            _console.WriteLine($"  {migration.Source.Version.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)}  " +
                $"{Path.GetFileName(migration.ClassFile)} ← {string.Join(", ", migration.SqlFiles)}{mark}{transaction}");
        }

        if (source.HasMappedVersions)
        {
            _console.WriteLine(source.Migrations.Any(m => m.SourceVersion.Contains('.', StringComparison.Ordinal) || m.SourceVersion.Contains('_', StringComparison.Ordinal))
                ? "Version mapping, in order (the tool's version → CodeMigrations version: the first component, then each further one as four digits):"
                : "Version mapping (the tool's version → CodeMigrations version):");
            var sourceWidth = result.Migrations.Max(m => m.Source.SourceVersion.Length);
            foreach (var migration in result.Migrations)
                _console.WriteLine($"  {migration.Source.SourceVersion.PadRight(sourceWidth)} → {migration.Source.Version}");
        }
        else
        {
            _console.WriteLine("Versions are kept as they are.");
        }

        foreach (var unsupported in result.Unsupported)
            _console.WriteNote($"not imported: {unsupported.Reason}", CliColour.Yellow);
        foreach (var warning in result.Warnings)
            _console.WriteNote($"warning: {warning}", CliColour.Yellow);

        var unchanged = result.Unchanged.Count > 0 ? $" ({result.Unchanged.Count} unchanged)" : "";
        _console.WriteLine($"Wrote {result.Written.Count} file{(result.Written.Count == 1 ? "" : "s")}{unchanged}.", CliColour.Green);
        var project = Shown(result.ProjectFile);
        if (result.CreatedProject)
        {
            _console.WriteLine($"Created the console host {project} and Program.cs" +
                (result.CliProjectReference is { } cli ? $", referencing {Shown(cli)}." : " (without the CodeMigrations.Cli reference: see the warning above)."));
            _console.WriteLine($"Next: dotnet run --project {project} -- up --connection \"Host=...;Database=...\"" +
                " (on a database the other tool migrated: import-history --from TOOL first).");
        }
        else if (result.MissingEmbeddedResource is { } line)
        {
            _console.WriteLine($"Add to {project}, so that the SQL files are embedded where ExecuteScript reads them:", CliColour.Yellow);
            _console.WriteLine($"  <ItemGroup>{line}</ItemGroup>");
        }
        else
        {
            _console.WriteLine($"{project} embeds the copied SQL files already.");
        }
    }

    /// <summary>A path relative to the current folder when it lies below it, else in full.</summary>
    private static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private void ReportHistoryImport(HistoryImportResult result)
    {
        var tool = ForeignMigrationTools.NameOf(result.Tool);
        foreach (var migration in result.Recorded)
            _console.WriteLine($"{_console.Paint(_console.Symbols.Done, CliColour.Green)} {migration} recorded as applied (baseline)");
        foreach (var migration in result.AlreadyRecorded)
            _console.WriteLine($"  {migration} was in the history already");
        foreach (var skipped in result.Skipped)
        {
            var what = skipped.SourceVersion is null ? skipped.Description : $"{skipped.SourceVersion}{(skipped.Description is null ? "" : $" ({skipped.Description})")}";
            _console.WriteNote($"skipped {tool} {what}: {skipped.Reason}", CliColour.Yellow);
        }

        _console.WriteLine(result.Recorded.Count == 0
            ? $"Nothing to record from {tool}'s {result.SourceTable}: {(result.AlreadyRecorded.Count > 0 ? "its migrations are in the history already." : "it applied none of the loaded migrations.")}"
            : $"Recorded {Durations.Migrations(result.Recorded.Count)} from {tool}'s {result.SourceTable} as applied, without running them.", CliColour.Green);
        if (result.Pending.Count > 0)
            _console.WriteLine($"{Durations.Migrations(result.Pending.Count)} still pending ({string.Join(", ", result.Pending.Take(5).Select(m => m.Version))}{(result.Pending.Count > 5 ? ", ..." : "")}): 'up' applies {(result.Pending.Count == 1 ? "it" : "them")}.");
    }
}
