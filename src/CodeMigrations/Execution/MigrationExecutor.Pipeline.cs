using System.Globalization;
using CodeMigrations.Sql;
using Npgsql;

namespace CodeMigrations.Execution;

public sealed partial class MigrationExecutor
{
    /// <summary>
    /// Runs <paramref name="migrations"/> back to back in one round trip, each in its own transaction with its bookkeeping:
    /// <c>BEGIN</c>, its timeouts, its statements, its history statement, <c>COMMIT</c>. PostgreSQL runs them in order and,
    /// at the first error, skips everything up to the end of the batch: the failed migration is rolled back, the ones
    /// before it stay committed with their history rows, and none after it runs. While the server works through the
    /// batch, the results are read as they arrive, so <paramref name="starting"/> and <paramref name="completed"/> report
    /// each migration (by index) as it goes: every migration reported completed is committed.
    /// </summary>
    /// <exception cref="MigrationFailedException">A migration failed; it was rolled back, and the ones after it did not run.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: the migration in flight (the last one reported starting) was rolled back.</exception>
    public Task ExecutePipelineAsync(NpgsqlConnection connection, IReadOnlyList<PreparedMigration> migrations, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, Action<int> starting, Action<int> completed, CancellationToken cancellationToken) =>
        ExecutePipelineAsync(connection, migrations, direction, bookkeeping, durable: null, starting, completed, cancellationToken);

    /// <summary>
    /// As the public overload; <paramref name="durable"/> says, per migration, whether its commit waits for the disk (the
    /// others commit with <c>synchronous_commit = off</c>); <see langword="null"/> makes every commit durable.
    /// </summary>
    internal async Task ExecutePipelineAsync(NpgsqlConnection connection, IReadOnlyList<PreparedMigration> migrations, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, IReadOnlyList<bool>? durable, Action<int> starting, Action<int> completed, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { Timeout = _commandTimeoutSeconds };
        var origins = new List<PipelineOrigin>();
        void Add(NpgsqlBatchCommand command, PipelineOrigin origin)
        {
            batch.BatchCommands.Add(command);
            origins.Add(origin);
        }

        for (var m = 0; m < migrations.Count; m++)
        {
            Add(new NpgsqlBatchCommand("BEGIN"), new(m, PipelinePart.Begin));
            // The first result of each migration, whose arrival tells the reader that the migration before it committed.
            // PostgreSQL holds results back until the end of the batch; a notice makes it send them at once, so progress
            // shows as it happens even when a migration takes minutes. (With client_min_messages above notice, the
            // progress comes in bursts instead; what is reported stays exact.)
            Add(MarkerCommand(TimeoutsFor(migrations[m]), durable?[m] ?? true), new(m, PipelinePart.Marker));
            Add(new NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture,
                $"DO $$BEGIN RAISE NOTICE 'CodeMigrations: {Doing(direction)} {migrations[m].Info.Version}'; END$$")),
                new(m, PipelinePart.Marker));
            var steps = migrations[m].Steps;
            for (var i = 0; i < steps.Count; i++)
            {
                foreach (var statement in SqlScript.Split(((SqlStep)steps[i]).Sql))
                    Add(new NpgsqlBatchCommand(statement.Text), new(m, PipelinePart.Statement, i, statement));
            }

            Add(bookkeeping[m], new(m, PipelinePart.Bookkeeping));
            Add(new NpgsqlBatchCommand("COMMIT"), new(m, PipelinePart.Commit));
        }

        // Commands before `done` have completed; `started` and `reported` are the migrations announced so far.
        var done = 0;
        var started = -1;
        var reported = 0;
        void Report()
        {
            while (done < origins.Count && batch.BatchCommands[done].StatementType != StatementType.Unknown)
                done++;
            var inFlight = done < origins.Count ? origins[done].Migration : migrations.Count;
            for (; reported < inFlight; reported++)
            {
                if (started < reported)
                    starting(started = reported);
                completed(reported);
            }

            if (inFlight < migrations.Count && started < inFlight)
                starting(started = inFlight);
        }

        try
        {
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                do
                {
                    Report();
                }
                while (await reader.NextResultAsync(cancellationToken));
            }

            Report();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            Report();
            // After an error inside BEGIN ... COMMIT the session waits for a ROLLBACK; after a failed COMMIT it has none.
            await RollBackQuietlyAsync(connection);
            if (e is not PostgresException && IsConnectionLoss(e) && done < origins.Count && !cancellationToken.IsCancellationRequested)
                throw ConnectionLost(migrations[origins[done].Migration].Info, direction, e, transactional: true);
            if (e is not PostgresException failure || done >= origins.Count || cancellationToken.IsCancellationRequested)
                throw;
            var origin = origins[done];
            var migration = migrations[origin.Migration];
            throw origin.Part switch
            {
                _ when IsConnectionLoss(failure) => ConnectionLost(migration.Info, direction, failure, transactional: true),
                PipelinePart.Statement => Failure(migration, direction, origin.Step, origin.Statement, failure, rolledBack: true),
                PipelinePart.Bookkeeping => BookkeepingFailure(migration, direction, failure),
                _ => new MigrationFailedException(migration.Info, direction,
                    $"Migration {migration.Info} failed while {Doing(direction)}, " +
                    $"at {(origin.Part == PipelinePart.Commit ? "its COMMIT" : "the start of its transaction")}:{Environment.NewLine}  {DescribeError(failure)}{Environment.NewLine}" +
                    "The migration was rolled back: none of its changes remain and no history row was written.", failure),
            };
        }
    }

    private static NpgsqlBatchCommand MarkerCommand(MigrationTimeouts timeouts, bool durable)
    {
        var command = new NpgsqlBatchCommand(durable
            ? "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)"
            : "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true), set_config('synchronous_commit', 'off', true)");
        command.Parameters.Add(new NpgsqlParameter<string>(null!, timeouts.DdlLockTimeout));
        command.Parameters.Add(new NpgsqlParameter<string>(null!, timeouts.StatementTimeout));
        return command;
    }

    private static async Task RollBackQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
            return;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection broke: the server rolls the transaction back on its own.
        }
    }

    private enum PipelinePart
    {
        Begin,
        Marker,
        Statement,
        Bookkeeping,
        Commit,
    }

    private readonly record struct PipelineOrigin(int Migration, PipelinePart Part, int Step = 0, SqlStatement? Statement = null);
}
