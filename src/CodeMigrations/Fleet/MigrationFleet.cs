using System.Diagnostics;
using CodeMigrations.Running;

namespace CodeMigrations.Fleet;

/// <summary>
/// Runs one operation on many databases: for each target, in its own services (<see cref="IMigrationTargetServices"/>),
/// it connects (a failure is <see cref="MigrationTargetState.Unreachable"/>), reads the status (the version before, and
/// any failed mark, which skips the target), runs the operation, and reads the version after. Targets run at most
/// <see cref="MigrationFleetOptions.MaxParallelism"/> at once; each one's failure stays its own.
/// </summary>
public sealed class MigrationFleet : IMigrationFleet
{
    private readonly IMigrationTargetServices _services;
    private readonly IMigrationFleetObserver? _observer;

    /// <summary>A fleet whose targets get their services from <paramref name="services"/>.</summary>
    /// <param name="services">Builds each target's services.</param>
    /// <param name="observer">Told of each target's progress; <see langword="null"/> for none.</param>
    public MigrationFleet(IMigrationTargetServices services, IMigrationFleetObserver? observer = null)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _observer = observer;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MigrationTargetResult>> RunAsync(IReadOnlyList<MigrationTarget> targets, MigrationFleetOptions options,
        MigrationTargetOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelism, 1, nameof(options.MaxParallelism));
        var results = new MigrationTargetResult[targets.Count];
        using var slots = new SemaphoreSlim(options.MaxParallelism);
        var running = new List<Task>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            var index = i;
            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                for (var rest = index; rest < targets.Count; rest++)
                    results[rest] = Report(NotStarted(targets[rest]));
                break;
            }

            running.Add(Task.Run(async () =>
            {
                try
                {
                    results[index] = Report(await RunOneAsync(targets[index], options, operation, cancellationToken));
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
        return results;
    }

    private MigrationTargetResult Report(MigrationTargetResult result)
    {
        _observer?.OnTargetCompleted(result);
        return result;
    }

    private static MigrationTargetResult NotStarted(MigrationTarget target) =>
        new(target, MigrationTargetState.Skipped, 0, 0, null, null, TimeSpan.Zero, "Cancelled before it started: nothing changed.");

    private async Task<MigrationTargetResult> RunOneAsync(MigrationTarget target, MigrationFleetOptions options, MigrationTargetOperation operation,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return NotStarted(target);
        var clock = Stopwatch.StartNew();
        _observer?.OnTargetStarting(target);
        long? from = null;
        IServiceProvider? services = null;
        var counted = new CountingObserver(_observer?.ForTarget(target));
        try
        {
            services = _services.Create(target, counted);
            var runner = (IMigrationRunner)(services.GetService(typeof(IMigrationRunner))
                ?? throw new InvalidOperationException("The target's services have no IMigrationRunner: register CodeMigrations for it (AddCodeMigrations)."));
            if (services.GetService(typeof(MigrationConnectionFactory)) is MigrationConnectionFactory connections)
            {
                try
                {
                    await (await connections.OpenAsync(cancellationToken)).DisposeAsync();
                }
                catch (MigrationDatabaseException e)
                {
                    return Result(target, MigrationTargetState.Unreachable, null, null, null, clock, e);
                }
            }

            var before = await runner.GetStatusAsync(cancellationToken);
            from = NewestApplied(before);
            var marks = before.Where(s => s.State is MigrationState.FailedUp or MigrationState.FailedDown).ToList();
            if (marks.Count > 0 && options.SkipTargetsWithFailedMarks)
            {
                var versions = string.Join(", ", marks.Select(m => m.Version));
                return Result(target, MigrationTargetState.Skipped, null, from, from, clock, null,
                    $"Skipped, not touched: migration {versions} runs without a transaction and failed earlier; its statements may be half done. " +
                    $"Complete or undo them by hand, then run 'resolve {marks[0].Version} --applied' or '--not-applied' on this target.");
            }

            var work = await operation(target, services, cancellationToken);
            var to = await ReadVersionAsync(runner, CancellationToken.None);
            return Result(target, work.Problem is null ? MigrationTargetState.Ok : MigrationTargetState.Failed, work, from, to, clock, null, work.Problem);
        }
        catch (Exception e)
        {
            var to = services?.GetService(typeof(IMigrationRunner)) is IMigrationRunner runner && from is not null
                ? await ReadVersionAsync(runner, CancellationToken.None)
                : from;
            var cancelled = cancellationToken.IsCancellationRequested && e is OperationCanceledException or MigrationException { InnerException: OperationCanceledException };
            return Result(target, MigrationTargetState.Failed, new MigrationTargetWork(counted.Applied, counted.Reverted), from, to, clock, e,
                cancelled ? "Cancelled while running: the migration in flight was rolled back and the lock released." : null);
        }
        finally
        {
            switch (services)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>The version after the operation, when it can be read; a failure to read it is not the target's outcome.</summary>
    private static async Task<long?> ReadVersionAsync(IMigrationRunner runner, CancellationToken cancellationToken)
    {
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(30));
            return NewestApplied(await runner.GetStatusAsync(bounded.Token));
        }
        catch (Exception e) when (e is MigrationException or OperationCanceledException)
        {
            return null;
        }
    }

    private static long NewestApplied(IReadOnlyList<MigrationStatus> status) =>
        status.Where(s => s.State is MigrationState.Applied or MigrationState.Baseline or MigrationState.Missing).Select(s => s.Version).DefaultIfEmpty(0).Max();

    private static MigrationTargetResult Result(MigrationTarget target, MigrationTargetState state, MigrationTargetWork? work, long? from, long? to,
        Stopwatch clock, Exception? error, string? message = null) =>
        new(target, state, work?.Applied ?? 0, work?.Reverted ?? 0, from, to, clock.Elapsed, message ?? error?.Message)
        {
            Exception = error,
        };

    /// <summary>Counts what a target completed, so a target that fails half-way reports the migrations that stay done; passes everything on.</summary>
    private sealed class CountingObserver(IMigrationObserver? inner) : IMigrationObserver
    {
        private int _applied;
        private int _reverted;

        public int Applied => Volatile.Read(ref _applied);

        public int Reverted => Volatile.Read(ref _reverted);

        public void OnWaitingForLock(History.MigrationLockHolder? holder) => inner?.OnWaitingForLock(holder);

        public void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction) => inner?.OnMigrationStarting(migration, direction);

        public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration)
        {
            if (direction == MigrationDirection.Up)
                Interlocked.Increment(ref _applied);
            else
                Interlocked.Increment(ref _reverted);
            inner?.OnMigrationCompleted(migration, direction, duration);
        }

        public void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error) =>
            inner?.OnMigrationFailed(migration, direction, duration, error);
    }
}
