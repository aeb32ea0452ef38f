using CodeMigrations.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Hosting.Startup;

/// <summary>
/// <see cref="MigrationStartupMode.Wait"/>: reads the history (never writes it) until every migration this build knows
/// is applied, or the wait times out.
/// </summary>
internal sealed class MigrationWaiter
{
    private readonly IMigrationRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger<MigrationWaiter> _logger;

    public MigrationWaiter(IMigrationRunner runner, TimeProvider time, ILogger<MigrationWaiter> logger)
    {
        _runner = runner;
        _time = time;
        _logger = logger;
    }

    /// <exception cref="MigrationWaitTimeoutException">The timeout ran out first.</exception>
    public async Task WaitAsync(TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        IReadOnlyList<MigrationStatus>? notApplied = null;
        var reported = -1;
        try
        {
            while (true)
            {
                notApplied = NotApplied(await _runner.GetStatusAsync(linked.Token));
                if (notApplied.Count == 0)
                {
                    if (reported >= 0)
                        HostingLogMessages.WaitOver(_logger, (long)_time.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                // Said once, and again whenever someone made progress: the log shows what the start waits for.
                if (notApplied.Count != reported)
                {
                    HostingLogMessages.Waiting(_logger, notApplied.Count, Describe(notApplied), timeout);
                    reported = notApplied.Count;
                }

                await Task.Delay(pollInterval, _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The deadline can pass before the first read of the history has even answered.
            var waitedFor = notApplied is null
                ? "the first read of the migration history to answer (is the database reachable and responsive?)"
                : $"{notApplied.Count} migration(s) this build knows to be applied: {Describe(notApplied)}";
            throw new MigrationWaitTimeoutException(notApplied ?? [],
                $"Gave up after {timeout} (CodeMigrations:WaitTimeout) waiting for {waitedFor}. OnStartup=Wait never migrates: apply them from CI " +
                "or the console host ('up'), start one instance with CodeMigrations:OnStartup=Migrate, or raise CodeMigrations:WaitTimeout.");
        }
    }

    /// <summary>Known to this build and not applied: pending, or stuck with a failed mark.</summary>
    private static List<MigrationStatus> NotApplied(IReadOnlyList<MigrationStatus> status) =>
        status.Where(s => s.State is MigrationState.Pending or MigrationState.FailedUp or MigrationState.FailedDown or MigrationState.RunningUp or MigrationState.RunningDown).ToList();

    private static string Describe(IReadOnlyList<MigrationStatus> migrations)
    {
        const int Shown = 5;
        var names = migrations.Take(Shown).Select(m => m.State == MigrationState.Pending ? $"{m.Version} {m.Name}" : $"{m.Version} {m.Name} ({m.State})");
        var text = string.Join(", ", names);
        return migrations.Count > Shown ? $"{text} and {migrations.Count - Shown} more" : text;
    }
}
