using System.CommandLine;
using CodeMigrations.Cli.Output;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// One command from parse result to exit code: finds the database, builds the service provider once, runs the verb,
/// prints the outcome, and maps any error to an exit code.
/// </summary>
internal sealed partial class CliSession
{
    private readonly CliCommandLine _commandLine;
    private readonly MigrationCliOptions _host;
    private readonly CliConsole _console;
    private readonly ParseResult _parse;
    private readonly bool _verbose;

    public CliSession(CliCommandLine commandLine, MigrationCliOptions host, CliConsole console, ParseResult parse)
    {
        _commandLine = commandLine;
        _host = host;
        _console = console;
        _parse = parse;
        _verbose = parse.GetValue(commandLine.Verbose);
    }

    public async Task<int> RunAsync(CliVerb verb, CancellationToken cancellationToken)
    {
        using var signals = new CancellationSignals(_console);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, cancellationToken);
        var ct = linked.Token;
        MigrationCliDatabase? database = null;
        ServiceProvider? provider = null;
        ProgressPrinter? progress = null;
        try
        {
            if (verb == CliVerb.New)
                return NewMigration();
            var services = new ServiceCollection();
            _host.ConfigureServices?.Invoke(services);
            var options = ConfigureMigrations(services);
            services.AddCodeMigrationsVerification();
            if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.DataSource is null)
            {
                database = await FindDefaultDatabaseAsync(ct);
                options.ConnectionString = database.ConnectionString;
            }

            if (verb is CliVerb.Up or CliVerb.Down or CliVerb.Redo)
            {
                progress = new ProgressPrinter(_console, options.LockTimeout);
                services.AddSingleton<IMigrationObserver>(progress);
            }

            if (_verbose)
            {
                if (!services.Any(d => d.ServiceType == typeof(ILoggerFactory)))
                    services.AddSingleton<ILoggerFactory>(new StderrLoggerFactory(_console));
                _console.WriteNote($"Database: {MigrationConnectionFactory.Describe(options.DataSource?.ConnectionString ?? options.ConnectionString)}; " +
                    $"history table: {options.HistorySchema}.{options.HistoryTable}; " +
                    $"migrations from: {string.Join(", ", options.Assemblies.Select(a => a.GetName().Name))}", CliColour.Dim);
            }

            provider = services.BuildServiceProvider();
            // The connection opens while the runner loads and describes the migrations: start-up costs overlap.
            if (ConnectsFirst(verb))
            {
                var connections = provider.GetRequiredService<MigrationConnectionFactory>();
                if (_commandLine.EarlyConnection is not { } early || !connections.Adopt(early, ct))
                    connections.StartOpening(ct);
            }

            var runner = provider.GetRequiredService<IMigrationRunner>();
            return verb switch
            {
                CliVerb.Up => await UpAsync(runner, ct),
                CliVerb.Down => await DownAsync(runner, ct),
                CliVerb.Status => await StatusAsync(runner, ct),
                CliVerb.Resolve => await ResolveAsync(runner, ct),
                CliVerb.Schema or CliVerb.Verify or CliVerb.Drift => await RunVerificationVerbAsync(verb, provider, ct),
                _ => await RunSafetyVerbAsync(verb, runner, ct),
            };
        }
        catch (Exception e) when (linked.IsCancellationRequested && IsCancellation(e))
        {
            return ReportCancelled(verb, progress, e);
        }
        catch (Exception e)
        {
            if (progress is { Completed: > 0 } p)
            {
                var done = verb == CliVerb.Up ? "Applied" : "Reverted";
                _console.WriteLine($"{done} {Durations.Migrations(p.Completed)} before the failure; {(p.Completed == 1 ? "it stays" : "they stay")} {(verb == CliVerb.Up ? "applied" : "reverted")}.");
            }

            return ErrorReport.Report(_console, e, _verbose);
        }
        finally
        {
            await EndAsync(provider, database);
        }
    }

    /// <summary>The verbs whose first database work is to connect to the configured database (most of them then take the lock).</summary>
    private static bool ConnectsFirst(CliVerb verb) => verb is CliVerb.Up or CliVerb.Down or CliVerb.Status or CliVerb.Resolve
        or CliVerb.Redo or CliVerb.Validate or CliVerb.AcceptChecksums or CliVerb.Baseline;

    /// <summary>Whether <paramref name="name"/> is the name of such a verb.</summary>
    internal static bool ConnectsFirst(string name) => name is "up" or "down" or "status" or "resolve"
        or "redo" or "validate" or "accept-checksums" or "baseline";

    private async Task<int> UpAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var target = _parse.GetValue(_commandLine.UpTo);
        var result = await runner.UpAsync(new MigrationRunOptions
        {
            Target = target,
            DryRun = _parse.GetValue(_commandLine.DryRun),
            AllowOutOfOrder = _parse.GetValue(_commandLine.AllowOutOfOrder),
        }, ct);
        if (result.DryRun)
            return ReportDryRun(result);
        if (result.Migrations.Count == 0)
        {
            _console.WriteLine(target is null
                ? "Database is up to date: nothing to apply."
                : $"Database is up to date up to {target}: nothing to apply.");
        }
        else
        {
            _console.WriteLine($"Applied {Durations.Migrations(result.Migrations.Count)} in {Durations.Seconds(result.Duration)}.", CliColour.Green);
        }

        return MigrationExitCode.Success;
    }

    private async Task<int> DownAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var target = _parse.GetValue(_commandLine.DownTo);
        var steps = _parse.GetValue(_commandLine.Steps);
        var result = await runner.DownAsync(new MigrationRunOptions { Target = target, Steps = steps, DryRun = _parse.GetValue(_commandLine.DryRun) }, ct);
        if (result.DryRun)
            return ReportDryRun(result);
        if (result.Migrations.Count == 0)
        {
            _console.WriteLine(target is > 0
                ? $"Nothing to revert: no applied migration is above {target}."
                : "Nothing to revert: no migration is applied.");
        }
        else
        {
            _console.WriteLine($"Reverted {Durations.Migrations(result.Migrations.Count)} in {Durations.Seconds(result.Duration)}.", CliColour.Green);
        }

        return MigrationExitCode.Success;
    }

    private async Task<int> StatusAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var lines = await runner.GetStatusAsync(ct);
        if (_parse.GetValue(_commandLine.Json))
            _console.WriteBuffered(output => StatusJson.Write(output, lines));
        else
            StatusTable.Write(_console, lines);
        return MigrationExitCode.Success;
    }

    private async Task<int> ResolveAsync(IMigrationRunner runner, CancellationToken ct)
    {
        var version = _parse.GetValue(_commandLine.ResolveVersion);
        var resolution = _parse.GetValue(_commandLine.Applied) ? MigrationResolution.Applied : MigrationResolution.NotApplied;
        try
        {
            await runner.ResolveAsync(version, resolution, ct);
        }
        catch (MigrationException e) when (e.GetType() == typeof(MigrationException))
        {
            // The core raises the base type when the version carries no failed mark: the user asked for something
            // that does not apply, which is bad usage rather than a failure.
            throw new ResolveRefusedException(e);
        }

        _console.WriteLine(resolution == MigrationResolution.Applied
            ? $"Resolved {version}: recorded as applied."
            : $"Resolved {version}: its mark is removed, so it counts as not applied and the next up runs it again.", CliColour.Green);
        return MigrationExitCode.Success;
    }

    /// <summary>
    /// Applies the host's configuration, then the command line's options, to the CodeMigrations options: those of a
    /// registration the host made itself, or a new one.
    /// </summary>
    private CodeMigrationsOptions ConfigureMigrations(IServiceCollection services)
    {
        var registered = services.FirstOrDefault(d => d.ServiceType == typeof(CodeMigrationsOptions));
        if (registered is not null)
        {
            if (registered.ImplementationInstance is not CodeMigrationsOptions existing)
            {
                throw new MigrationCliUsageException(
                    "ConfigureServices registered CodeMigrationsOptions through a factory, so the command line cannot apply --connection and the other options to it. " +
                    "Configure CodeMigrations through MigrationCliOptions.ConfigureMigrations instead.");
            }

            _host.ConfigureMigrations?.Invoke(existing);
            ApplyCommandLine(existing);
            return existing;
        }

        CodeMigrationsOptions? created = null;
        services.AddCodeMigrations(o =>
        {
            _host.ConfigureMigrations?.Invoke(o);
            ApplyCommandLine(o);
            created = o;
        });
        return created!;
    }

    private void ApplyCommandLine(CodeMigrationsOptions options)
    {
        foreach (var assembly in _host.Assemblies)
        {
            if (!options.Assemblies.Contains(assembly))
                options.Assemblies.Add(assembly);
        }

        var connection = _parse.GetValue(_commandLine.Connection);
        var source = "The --connection value";
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = Environment.GetEnvironmentVariable(MigrationCli.ConnectionEnvironmentVariable);
            source = $"The environment variable {MigrationCli.ConnectionEnvironmentVariable}";
        }

        if (!string.IsNullOrWhiteSpace(connection))
        {
            ThrowIfMalformed(connection, source);
            options.ConnectionString = connection;
            options.DataSource = null;
        }

        if (_parse.GetValue(_commandLine.HistorySchema) is { } schema)
            options.HistorySchema = schema;
        if (_parse.GetValue(_commandLine.HistoryTable) is { } table)
            options.HistoryTable = table;
        if (_parse.GetValue(_commandLine.LockTimeout) is { } seconds)
            options.LockTimeout = TimeSpan.FromSeconds(seconds);
        if (_parse.GetValue(_commandLine.DdlLockTimeout) is { } ddlLockTimeout)
            options.DdlLockTimeout = ddlLockTimeout;
        if (_parse.GetValue(_commandLine.StatementTimeout) is { } statementTimeout)
            options.StatementTimeout = statementTimeout;
    }

    /// <summary>A connection string that does not parse is bad usage (exit 2), said before anything starts.</summary>
    private static void ThrowIfMalformed(string connectionString, string source)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword at fault, never a value: no password can leak through this message.
            throw new MigrationCliUsageException($"{source} is not a valid connection string: {e.Message.Split(" (Parameter")[0]}. " +
                "Expected keyword=value pairs separated by ';', e.g. \"Host=localhost;Database=app;Username=app\".", e);
        }
    }

    private async Task<MigrationCliDatabase> FindDefaultDatabaseAsync(CancellationToken ct)
    {
        var database = _host.DefaultDatabase is null ? null : await _host.DefaultDatabase(ct);
        return database ?? throw new MigrationCliUsageException(
            $"No database to migrate: pass --connection \"Host=...;Database=...;Username=...\" or set the environment variable {MigrationCli.ConnectionEnvironmentVariable}.");
    }

    /// <summary>After a command, whatever happened: the output flushed, the services disposed, the database released.</summary>
    private async Task EndAsync(ServiceProvider? provider, MigrationCliDatabase? database)
    {
        await _console.Out.FlushAsync(CancellationToken.None);
        if (provider is not null)
            await provider.DisposeAsync();
        if (database is not null)
            await ReleaseAsync(database);
    }

    private async Task ReleaseAsync(MigrationCliDatabase database)
    {
        try
        {
            await database.DisposeAsync();
        }
        catch (Exception e)
        {
            _console.WriteNote($"Releasing the database after the command failed: {e.Message}", CliColour.Yellow);
        }
    }

    private int ReportCancelled(CliVerb verb, ProgressPrinter? progress, Exception error)
    {
        var interrupted = progress?.Failed;
        if (interrupted is null)
        {
            _console.WriteError(progress is { Completed: > 0 } || verb is CliVerb.Status
                ? "Cancelled: the lock was released."
                : "Cancelled before any migration ran: nothing changed.");
        }
        else if (interrupted.UseTransaction)
        {
            _console.WriteError("Cancelled: the migration in flight was rolled back and the lock released.");
        }
        else
        {
            _console.WriteError(
                $"Cancelled: {interrupted} runs without a transaction, so the statements it ran before the interruption remain. " +
                "It is marked as failed, and further runs are blocked until you resolve it: complete or undo its statements by hand, then run " +
                $"'resolve {interrupted.Version} --applied' or 'resolve {interrupted.Version} --not-applied'. The lock was released.");
        }

        if (progress is { Completed: > 0 } p)
        {
            var done = verb == CliVerb.Up ? "applied" : "reverted";
            _console.WriteError($"{Durations.Migrations(p.Completed)} {done} before the cancellation {(p.Completed == 1 ? "stays" : "stay")} {done}.");
        }

        if (_verbose)
            _console.WriteNote(error.ToString(), CliColour.Dim);
        return MigrationExitCode.Failure;
    }

    private static bool IsCancellation(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException)
                return true;
        }

        return false;
    }
}
