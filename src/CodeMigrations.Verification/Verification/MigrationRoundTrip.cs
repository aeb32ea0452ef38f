using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.Schema;
using Npgsql;

namespace CodeMigrations.Verification;

/// <summary>
/// Judges one migration on the scratch database: Up (committed), snapshot, Down, snapshot, Up again, snapshot. For a
/// migration with a transaction, Down and Up again run inside one transaction that is always rolled back, so that the
/// database is left as the first Up left it whatever they do: the state the next migration needs, at no cost.
/// </summary>
internal sealed class MigrationRoundTrip
{
    /// <summary>
    /// Ends what a migration left in the session that another session would not see (a temporary table made for data
    /// work and still holding an extension's type blocks that extension's DROP), and runs the deferred constraint
    /// checks a commit would run.
    /// </summary>
    private const string LikeANewSession = "SET CONSTRAINTS ALL IMMEDIATE; DISCARD TEMP";

    private readonly ScratchMigrations _runner;

    public MigrationRoundTrip(ScratchMigrations runner) => _runner = runner;

    /// <summary>What the round trip found, and whether the database holds the schema after the first Up.</summary>
    /// <param name="Verification">The outcome.</param>
    /// <param name="AfterUp">The schema after the first Up; <see langword="null"/> when Up failed.</param>
    /// <param name="Intact">Whether the database holds <see cref="AfterUp"/> (else it must be rebuilt before the next migration).</param>
    public readonly record struct Judgement(MigrationVerification Verification, SchemaSnapshot? AfterUp, bool Intact);

    /// <summary>Judges <paramref name="migration"/>, applied on a database whose schema is <paramref name="beforeUp"/>.</summary>
    public async Task<Judgement> JudgeAsync(NpgsqlConnection connection, MigrationInfo migration, SchemaSnapshot beforeUp, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        MigrationVerification Result(MigrationVerificationOutcome outcome, IReadOnlyList<SchemaDifference>? down = null,
            IReadOnlyList<SchemaDifference>? reapply = null, string? error = null, IReadOnlyList<SchemaDifference>? notes = null) =>
            new(migration, outcome, down ?? [], reapply ?? [], error, clock.Elapsed, notes);

        if (await TryRunAsync(connection, migration, MigrationDirection.Up, null, cancellationToken) is { } upError)
            return new(Result(MigrationVerificationOutcome.UpFailed, error: upError), null, false);
        await ExecuteAsync(connection, null, "DISCARD TEMP", cancellationToken);
        var afterUp = await SnapshotAsync(connection, cancellationToken);
        if (migration.IrreversibleReason is not null)
            return new(Result(MigrationVerificationOutcome.Irreversible), afterUp, true);

        var transaction = migration.UseTransaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (await TryRunAsync(connection, migration, MigrationDirection.Down, transaction, cancellationToken) is { } downError)
            {
                // Rolled back (by us or by the executor) when it ran in a transaction; otherwise part of it may have run.
                return new(Result(MigrationVerificationOutcome.DownFailed, error: downError), afterUp, transaction is not null);
            }

            var afterDown = await SnapshotAsync(connection, cancellationToken);
            var (downDifferences, downNotes) = SchemaDiff.CompareWithNotes(beforeUp, afterDown);

            if (await TryRunAsync(connection, migration, MigrationDirection.Up, transaction, cancellationToken) is { } againError)
            {
                var outcome = downDifferences.Count > 0 ? MigrationVerificationOutcome.DownLeavesDifferences : MigrationVerificationOutcome.UpFailedAfterDown;
                return new(Result(outcome, downDifferences, error: againError, notes: downNotes), afterUp, transaction is not null);
            }

            var afterUpAgain = await SnapshotAsync(connection, cancellationToken);
            var (reapplyDifferences, reapplyNotes) = SchemaDiff.CompareWithNotes(afterUp, afterUpAgain);
            var final = downDifferences.Count > 0 ? MigrationVerificationOutcome.DownLeavesDifferences
                : reapplyDifferences.Count > 0 ? MigrationVerificationOutcome.UpDiffersAfterDown
                : MigrationVerificationOutcome.Ok;
            return new(Result(final, downDifferences, reapplyDifferences, notes: [.. downNotes, .. reapplyNotes]), afterUp,
                transaction is not null || reapplyDifferences.Count == 0);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>Applies a migration plainly, to build the schema later migrations need; returns the error, or <see langword="null"/>.</summary>
    public async Task<string?> ApplyAsync(NpgsqlConnection connection, MigrationInfo migration, CancellationToken cancellationToken)
    {
        var error = await TryRunAsync(connection, migration, MigrationDirection.Up, null, cancellationToken);
        if (error is null)
            await ExecuteAsync(connection, null, "DISCARD TEMP", cancellationToken);
        return error;
    }

    /// <summary>
    /// Applies migrations plainly, oldest first, to build the schema later migrations need: runs of plain SQL in one
    /// round trip each, the others one by one. Returns the migration that failed and its error, or <see langword="null"/>.
    /// </summary>
    public async Task<(MigrationInfo Migration, string Error)?> ApplyAllAsync(NpgsqlConnection connection, IReadOnlyList<MigrationInfo> migrations,
        CancellationToken cancellationToken)
    {
        var run = new List<PreparedMigration>();
        async Task<(MigrationInfo, string)?> FlushAsync()
        {
            if (run.Count == 0)
                return null;
            try
            {
                await _runner.ApplyPipelineAsync(connection, run, cancellationToken);
                return null;
            }
            catch (MigrationFailedException e)
            {
                return (e.Migration, MigrationVerifier.DescribeFailure(e));
            }
            finally
            {
                run.Clear();
            }
        }

        foreach (var migration in migrations)
        {
            PreparedMigration prepared;
            try
            {
                prepared = _runner.Prepare(migration, MigrationDirection.Up);
            }
            catch (InvalidMigrationException e)
            {
                return await FlushAsync() ?? (migration, e.Message);
            }

            if (ScratchMigrations.CanPipeline(prepared))
            {
                run.Add(prepared);
                continue;
            }

            if (await FlushAsync() is { } failed)
                return failed;
            if (await ApplyAsync(connection, migration, cancellationToken) is { } error)
                return (migration, error);
        }

        return await FlushAsync();
    }

    /// <summary>Reads the schema; the catalog queries are prepared once on the connection.</summary>
    public static Task<SchemaSnapshot> SnapshotAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        SchemaSnapshot.CaptureCoreAsync(connection, null, prepare: true, cancellationToken);

    /// <summary>Runs one direction (inside <paramref name="outer"/> when given); returns the error in one line, or <see langword="null"/>.</summary>
    private async Task<string?> TryRunAsync(NpgsqlConnection connection, MigrationInfo migration, MigrationDirection direction, NpgsqlTransaction? outer,
        CancellationToken cancellationToken)
    {
        try
        {
            if (outer is null)
            {
                await _runner.RunAsync(connection, migration, direction, cancellationToken);
            }
            else
            {
                await _runner.RunInsideAsync(connection, migration, direction, outer, cancellationToken);
                await ExecuteAsync(connection, outer, LikeANewSession, cancellationToken);
            }

            return null;
        }
        catch (MigrationFailedException e)
        {
            return MigrationVerifier.DescribeFailure(e);
        }
        catch (InvalidMigrationException e)
        {
            return e.Message;
        }
        catch (PostgresException e) when (outer is not null)
        {
            // The deferred checks a commit runs failed.
            return $"at commit: {Execution.MigrationExecutor.DescribeError(e)}";
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
