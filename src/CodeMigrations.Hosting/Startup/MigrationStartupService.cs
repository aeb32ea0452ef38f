using System.Diagnostics;
using CodeMigrations.Hosting.Logging;
using CodeMigrations.Hosting.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeMigrations.Hosting.Startup;

/// <summary>
/// Carries out the on-start mode in <see cref="IHostedLifecycleService.StartingAsync"/>, before any hosted service (the
/// web server among them) starts. A failure propagates: the host logs it and does not start. The token is the host's
/// start token, cancelled when the host is asked to stop during start: the runner then rolls back the migration in flight.
/// One per database: the unkeyed registration's, and one per key given to <c>AddCodeMigrationsOnStartup(key)</c>.
/// </summary>
internal sealed class MigrationStartupService : IHostedLifecycleService
{
    private readonly Func<CodeMigrationsStartupOptions> _options;
    private readonly IMigrationRunner _runner;
    private readonly MigrationWaiter _waiter;
    private readonly MigrationTelemetryObserver _telemetry;
    private readonly ILogger<MigrationStartupService> _logger;

    public MigrationStartupService(IOptions<CodeMigrationsStartupOptions> options, IMigrationRunner runner, MigrationWaiter waiter,
        MigrationTelemetryObserver telemetry, ILogger<MigrationStartupService> logger)
        : this(() => options.Value, runner, waiter, telemetry, logger)
    {
    }

    /// <summary>For a keyed database: its named options, read when the host starts (so validation has run), and its runner.</summary>
    public MigrationStartupService(Func<CodeMigrationsStartupOptions> options, IMigrationRunner runner, MigrationWaiter waiter,
        MigrationTelemetryObserver telemetry, ILogger<MigrationStartupService> logger)
    {
        _options = options;
        _runner = runner;
        _waiter = waiter;
        _telemetry = telemetry;
        _logger = logger;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var options = _options();
        HostingLogMessages.Starting(_logger, options.OnStartup);
        using var activity = MigrationTelemetry.Source.StartActivity(MigrationTelemetry.StartupActivityName);
        activity?.SetTag("codemigrations.on_startup", options.OnStartup.ToString());
        try
        {
            await RunAsync(options, cancellationToken);
            activity?.SetTag("codemigrations.outcome", "success");
        }
        catch (Exception e)
        {
            activity?.SetTag("codemigrations.outcome", e is OperationCanceledException ? "cancelled" : "failed");
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            // A run that waited for the lock and then found nothing to do ends its wait here.
            _telemetry.EndLockWait();
        }
    }

    private async Task RunAsync(CodeMigrationsStartupOptions options, CancellationToken cancellationToken)
    {
        switch (options.OnStartup)
        {
            case MigrationStartupMode.Migrate:
                await MigrateAsync(cancellationToken);
                break;
            case MigrationStartupMode.Wait:
                await _waiter.WaitAsync(options.WaitTimeout, options.WaitPollInterval, cancellationToken);
                break;
            case MigrationStartupMode.Validate:
                await ValidateAsync(cancellationToken);
                break;
            case MigrationStartupMode.None:
                break;
            default:
                throw new InvalidOperationException($"Unknown CodeMigrations:OnStartup mode {options.OnStartup}.");
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        MigrationRunResult result;
        try
        {
            result = await _runner.UpAsync(cancellationToken: cancellationToken);
        }
        catch (MigrationFailedException e)
        {
            // The runner logged it in full: the host's own report of the failed start gets the summary only.
            throw new MigrationStartupException(e);
        }

        if (result.Migrations.Count > 0)
            HostingLogMessages.Migrated(_logger, result.Migrations.Count, clock.ElapsedMilliseconds);
    }

    private async Task ValidateAsync(CancellationToken cancellationToken)
    {
        var findings = await _runner.ValidateAsync(cancellationToken);
        if (findings.Count > 0)
        {
            throw new MigrationValidationException(findings,
                $"CodeMigrations:OnStartup=Validate refused to start: history and code disagree ({findings.Count} finding(s)):{Environment.NewLine}" +
                string.Join(Environment.NewLine, findings.Select(f => "  - " + f.Message)));
        }

        HostingLogMessages.Validated(_logger);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
