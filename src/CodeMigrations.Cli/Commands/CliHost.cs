using System.CommandLine;
using CodeMigrations.Cli.Configuration;
using CodeMigrations.Cli.Database;
using CodeMigrations.Cli.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// What every verb shares, for one command: the parsed command line, the output, Ctrl+C (<see cref="CancellationSignals"/>),
/// the services built from the host's and the command line's configuration, the database they connect to, and the mapping
/// of what went wrong to a message and an exit code (<see cref="ErrorReport"/>). It runs one verb, then ends the command:
/// the output flushed, the services disposed, a provided database released.
/// </summary>
internal sealed partial class CliHost
{
    private readonly CliContext _context;
    private readonly CliVerb _verb;
    private readonly ParseResult _parse;
    private ServiceProvider? _provider;
    private MigrationCliDatabase? _database;
    private MigrationDirection? _progressDirection;
    private WarmDataSource? _warmDataSource;
    private (string ConnectionString, string Source)? _configuredConnection;
    private Microsoft.Extensions.Configuration.IConfiguration? _configuration;

    public CliHost(CliContext context, CliVerb verb, ParseResult parse)
    {
        _context = context;
        _verb = verb;
        _parse = parse;
        Verbose = parse.GetValue(context.Globals.Verbose);
    }

    public CliConsole Console => _context.Console;

    /// <summary>What the host program configured: its assemblies, services and defaults.</summary>
    public MigrationCliOptions Options => _context.Options;

    public bool Verbose { get; }

    /// <summary>The progress of an up, down or redo (see <see cref="GetRunnerAsync"/>), to summarise a failure or a cancellation.</summary>
    public ProgressPrinter? Progress { get; private set; }

    /// <summary>The CodeMigrations configuration the services were built with.</summary>
    public CodeMigrationsOptions? MigrationOptions { get; private set; }

    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => _parse.GetValue(argument);

    /// <summary>Runs the verb and returns the exit code, whatever happens.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var signals = new CancellationSignals(Console);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, cancellationToken);
        try
        {
            return await (RunFleetAsync(linked.Token) ?? _verb.RunAsync(this, linked.Token));
        }
        catch (Exception e) when (linked.IsCancellationRequested && IsCancellation(e))
        {
            return _verb.ReportCancelled(this, e);
        }
        catch (Exception e)
        {
            return _verb.ReportFailure(this, e);
        }
        finally
        {
            await EndAsync();
        }
    }

    /// <summary>
    /// The runner, with the services of <see cref="GetServicesAsync"/>; on the warm data source, once its first connection
    /// is ready for the runner to take (<see cref="WarmDataSource.WaitForWarmUpAsync"/>).
    /// </summary>
    /// <param name="progress">
    /// For a verb that runs migrations: print each as it runs, and summarise a failure or cancellation as having
    /// "applied" (<see cref="MigrationDirection.Up"/>) or "reverted" the migrations completed before it.
    /// </param>
    /// <param name="cancellationToken">The command's token.</param>
    public async Task<IMigrationRunner> GetRunnerAsync(MigrationDirection? progress, CancellationToken cancellationToken)
    {
        _progressDirection = progress;
        var runner = (await GetServicesAsync(cancellationToken)).GetRequiredService<IMigrationRunner>();
        if (_warmDataSource is { } warm)
            await warm.WaitForWarmUpAsync(cancellationToken);
        return runner;
    }

    /// <summary>
    /// The services, built once: the host's own, then CodeMigrations configured by the host and then by the command line
    /// (which wins), on the host's default database when neither names one.
    /// </summary>
    /// <exception cref="MigrationCliUsageException">No database, or a connection string that does not parse.</exception>
    public async Task<IServiceProvider> GetServicesAsync(CancellationToken cancellationToken)
    {
        if (_provider is not null)
            return _provider;
        var services = new ServiceCollection();
        Options.ConfigureServices?.Invoke(services);
        var options = ConfigureMigrations(services);
        services.AddCodeMigrationsVerification();
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.DataSource is null && _verb.NeedsDatabase)
        {
            _database = await FindDefaultDatabaseAsync(cancellationToken);
            options.ConnectionString = _database.ConnectionString;
        }

        await UseWarmDataSourceAsync(options, cancellationToken);
        if (_progressDirection is not null)
        {
            Progress = new ProgressPrinter(Console, options.LockTimeout);
            services.AddSingleton<IMigrationObserver>(Progress);
        }

        if (Verbose)
        {
            if (!services.Any(d => d.ServiceType == typeof(ILoggerFactory)))
                services.AddSingleton<ILoggerFactory>(new StderrLoggerFactory(Console));
            Console.WriteNote($"Database: {Running.MigrationConnectionFactory.Describe(options.DataSource?.ConnectionString ?? options.ConnectionString)}; " +
                $"history table: {options.HistorySchema}.{options.HistoryTable}; " +
                $"migrations from: {string.Join(", ", options.Assemblies.Select(a => a.GetName().Name))}", CliColour.Dim);
        }

        MigrationOptions = options;
        _provider = services.BuildServiceProvider();
        return _provider;
    }

    /// <summary>The default report of a cancellation: what it interrupted, and what stays done.</summary>
    /// <param name="error">What the cancellation threw (its stack trace is shown with <c>--verbose</c>).</param>
    /// <param name="nothingCompleted">The message when no migration was running or completed.</param>
    public int ReportCancelled(Exception error, string nothingCompleted = "Cancelled before any migration ran: nothing changed.")
    {
        var interrupted = Progress?.Failed;
        if (interrupted is null)
        {
            Console.WriteError(Progress is { Completed: > 0 } ? "Cancelled: the lock was released." : nothingCompleted);
        }
        else if (interrupted.UseTransaction)
        {
            Console.WriteError("Cancelled: the migration in flight was rolled back and the lock released.");
        }
        else
        {
            Console.WriteError(
                $"Cancelled: {interrupted} runs without a transaction, so the statements it ran before the interruption remain. " +
                "It is marked as failed, and further runs are blocked until you resolve it: complete or undo its statements by hand, then run " +
                $"'resolve {interrupted.Version} --applied' or 'resolve {interrupted.Version} --not-applied'. The lock was released.");
        }

        if (DryRun)
        {
            Console.WriteError("The dry run's transaction was rolled back: nothing changed.");
        }
        else if (Progress is { Completed: > 0 } p)
        {
            var done = _progressDirection == MigrationDirection.Up ? "applied" : "reverted";
            Console.WriteError($"{Durations.Migrations(p.Completed)} {done} before the cancellation {(p.Completed == 1 ? "stays" : "stay")} {done}.");
        }

        if (Verbose)
            Console.WriteNote(error.ToString(), CliColour.Dim);
        return MigrationExitCode.Failure;
    }

    /// <summary>
    /// Whether the running verb is a dry run: the migrations that completed before a failure or a cancellation ran in
    /// the dry run's one transaction, which was rolled back, so nothing stays.
    /// </summary>
    public bool DryRun { get; set; }

    /// <summary>The default report of a failure: what completed before it stays, then the error (<see cref="ErrorReport"/>).</summary>
    public int ReportFailure(Exception error)
    {
        if (DryRun && Progress is { Completed: > 0 } tried)
        {
            Console.WriteLine($"Dry run: {Durations.Migrations(tried.Completed)} ran before the failure in the dry run's transaction, " +
                "which was rolled back: nothing changed.");
        }
        else if (Progress is { Completed: > 0 } p)
        {
            var up = _progressDirection == MigrationDirection.Up;
            Console.WriteLine($"{(up ? "Applied" : "Reverted")} {Durations.Migrations(p.Completed)} before the failure; " +
                $"{(p.Completed == 1 ? "it stays" : "they stay")} {(up ? "applied" : "reverted")}.");
        }

        return ErrorReport.Report(Console, error, Verbose);
    }

    /// <summary>
    /// Applies the application's configuration (<see cref="MigrationCliOptions.Configuration"/>), then the host's code,
    /// then the command line's options, to the CodeMigrations options: those of a registration the host made itself, or a
    /// new one.
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

            ApplyConfiguration(existing);
            Options.ConfigureMigrations?.Invoke(existing);
            ApplyCommandLine(existing);
            return existing;
        }

        CodeMigrationsOptions? created = null;
        services.AddCodeMigrations(o =>
        {
            ApplyConfiguration(o);
            Options.ConfigureMigrations?.Invoke(o);
            ApplyCommandLine(o);
            created = o;
        });
        return created!;
    }

    /// <summary>The lowest layer, over the defaults: appsettings files and environment variables, as the application reads them.</summary>
    private void ApplyConfiguration(CodeMigrationsOptions options) =>
        // Read once: a fleet configures a container per target from the same files and environment.
        _configuredConnection = CliConfiguration.ApplyTo(_configuration ??= Options.Configuration ?? CliConfiguration.Load(), options);

    private void ApplyCommandLine(CodeMigrationsOptions options)
    {
        foreach (var assembly in Options.Assemblies)
        {
            if (!options.Assemblies.Contains(assembly))
                options.Assemblies.Add(assembly);
        }

        if (_context.Globals.GetConnection(_parse) is var (connection, source))
        {
            // The warm data source exists only for a connection string that parsed.
            if (!string.Equals(_context.WarmDataSource?.ConnectionString, connection, StringComparison.Ordinal))
                ConnectionStrings.ThrowIfMalformed(connection, source);
            options.ConnectionString = connection;
            options.DataSource = null;
        }
        else if (_configuredConnection is var (configured, configuredSource) && options.DataSource is null &&
            string.Equals(options.ConnectionString, configured, StringComparison.Ordinal))
        {
            ConnectionStrings.ThrowIfMalformed(configured, configuredSource);
        }

        _context.Globals.ApplyTo(options, _parse);
    }

    /// <summary>
    /// Hands the core the data source warmed since the start, for a verb that connects first and a configuration that
    /// connects exactly as it does; otherwise disposes it, and the core connects as configured.
    /// </summary>
    private async Task UseWarmDataSourceAsync(CodeMigrationsOptions options, CancellationToken cancellationToken)
    {
        if (_context.WarmDataSource is not { } warm)
            return;
        if (_verb.ConnectsFirst && warm.Serves(options))
        {
            try
            {
                options.DataSource = await warm.GetDataSourceAsync(cancellationToken);
                _warmDataSource = warm;
                return;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NpgsqlException)
            {
                // It could not be built: the core builds its own from the connection string and reports why.
            }
        }

        await warm.DisposeAsync();
    }

    private async Task<MigrationCliDatabase> FindDefaultDatabaseAsync(CancellationToken cancellationToken)
    {
        var database = Options.DefaultDatabase is null ? null : await Options.DefaultDatabase(cancellationToken);
        return database ?? throw new MigrationCliUsageException(
            $"No database to migrate: pass --connection \"Host=...;Database=...;Username=...\" or set the environment variable {MigrationCli.ConnectionEnvironmentVariable}.");
    }

    /// <summary>After a command, whatever happened: the output flushed, the services disposed, the database released.</summary>
    private async Task EndAsync()
    {
        await Console.Out.FlushAsync(CancellationToken.None);
        if (_provider is not null)
            await _provider.DisposeAsync();
        if (_database is null)
            return;
        try
        {
            await _database.DisposeAsync();
        }
        catch (Exception e)
        {
            Console.WriteNote($"Releasing the database after the command failed: {e.Message}", CliColour.Yellow);
        }
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
