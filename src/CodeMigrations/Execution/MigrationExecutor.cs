using System.Diagnostics;
using System.Globalization;
using System.Text;
using CodeMigrations.Sql;
using Dapper;
using Npgsql;

namespace CodeMigrations.Execution;

/// <summary>
/// Runs a migration's steps on a connection. It knows nothing of the history table: the runner hands it the
/// bookkeeping statements that must commit together with the steps.
/// </summary>
public sealed class MigrationExecutor
{
    private readonly IServiceProvider _services;
    private readonly int _commandTimeoutSeconds;
    private readonly CodeMigrationsOptions? _options;

    /// <param name="services">The services code steps receive.</param>
    /// <param name="commandTimeout">The client-side timeout of each command; null for none.</param>
    /// <param name="options">Supplies the default lock and statement timeouts; null runs without setting them.</param>
    public MigrationExecutor(IServiceProvider services, TimeSpan? commandTimeout, CodeMigrationsOptions? options = null)
    {
        _services = services;
        _commandTimeoutSeconds = commandTimeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : 0;
        _options = options;
    }

    private MigrationTimeouts? TimeoutsFor(PreparedMigration migration) =>
        _options is null ? null : MigrationTimeouts.For(migration.Info, _options);

    /// <summary>
    /// Runs the steps and <paramref name="bookkeeping"/> in one transaction: all of it commits, or none of it.
    /// A migration made only of SQL without parameters goes to PostgreSQL as one batch: one round trip.
    /// </summary>
    /// <exception cref="MigrationFailedException">A step failed; the transaction was rolled back.</exception>
    /// <remarks>
    /// With <c>outer</c>, the steps run inside that transaction instead (a dry run): nothing is committed, and on failure
    /// the caller rolls it back.
    /// </remarks>
    public async Task ExecuteInTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, CancellationToken cancellationToken, NpgsqlTransaction? outer = null)
    {
        if (IsPlainSql(migration))
            await ExecuteAsOneBatchAsync(connection, migration, direction, bookkeeping, outer, cancellationToken);
        else
            await ExecuteStepByStepAsync(connection, migration, direction, bookkeeping, outer, cancellationToken);
    }

    /// <summary>Whether <paramref name="migration"/> can join a pipeline: it runs in a transaction and is made only of SQL without parameters.</summary>
    public static bool CanPipeline(PreparedMigration migration) => migration.Info.UseTransaction && IsPlainSql(migration);

    /// <summary>Whether every step is SQL without parameters: what can go to PostgreSQL as batch commands.</summary>
    private static bool IsPlainSql(PreparedMigration migration)
    {
        foreach (var step in migration.Steps)
        {
            if (step is not SqlStep { Parameters: null })
                return false;
        }

        return true;
    }

    /// <summary>"applying" or "reverting", as messages say it.</summary>
    private static string Doing(MigrationDirection direction) => direction == MigrationDirection.Up ? "applying" : "reverting";

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
    public async Task ExecutePipelineAsync(NpgsqlConnection connection, IReadOnlyList<PreparedMigration> migrations, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, Action<int> starting, Action<int> completed, CancellationToken cancellationToken)
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
            Add(MarkerCommand(TimeoutsFor(migrations[m])), new(m, PipelinePart.Marker));
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
            if (e is not PostgresException failure || done >= origins.Count || cancellationToken.IsCancellationRequested)
                throw;
            var origin = origins[done];
            var migration = migrations[origin.Migration];
            throw origin.Part switch
            {
                PipelinePart.Statement => Failure(migration, direction, origin.Step, origin.Statement, failure, rolledBack: true),
                PipelinePart.Bookkeeping => BookkeepingFailure(migration, direction, failure),
                _ => new MigrationFailedException(migration.Info, direction,
                    $"Migration {migration.Info} failed while {Doing(direction)}, " +
                    $"at {(origin.Part == PipelinePart.Commit ? "its COMMIT" : "the start of its transaction")}:{Environment.NewLine}  {DescribeError(failure)}{Environment.NewLine}" +
                    "The migration was rolled back: none of its changes remain and no history row was written.", failure),
            };
        }
    }

    private static NpgsqlBatchCommand MarkerCommand(MigrationTimeouts? timeouts)
    {
        if (timeouts is null)
            return new NpgsqlBatchCommand("SELECT NULL");
        var command = new NpgsqlBatchCommand("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)");
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

    /// <summary>
    /// Runs the steps without a transaction, each statement as its own command (PostgreSQL refuses
    /// <c>CREATE INDEX CONCURRENTLY</c> inside a multi-statement batch).
    /// </summary>
    /// <exception cref="MigrationFailedException">A statement failed; the ones before it stay in effect.</exception>
    public async Task ExecuteWithoutTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        CancellationToken cancellationToken)
    {
        var timeouts = TimeoutsFor(migration);
        if (timeouts is not null)
            await ExecuteSettingsAsync(connection, null, timeouts.SetStatements(local: false), cancellationToken);
        try
        {
            await ExecuteStatementsWithoutTransactionAsync(connection, migration, direction, cancellationToken);
        }
        finally
        {
            if (timeouts is not null && connection.FullState == System.Data.ConnectionState.Open)
                await ExecuteSettingsAsync(connection, null, MigrationTimeouts.ResetStatements(), CancellationToken.None);
        }
    }

    private async Task ExecuteStatementsWithoutTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        CancellationToken cancellationToken)
    {
        for (var i = 0; i < migration.Steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = migration.Steps[i];
            if (step is SqlStep sql)
            {
                foreach (var statement in SqlScript.Split(sql.Sql))
                {
                    try
                    {
                        await connection.ExecuteAsync(new CommandDefinition(statement.Text, sql.Parameters, null, _commandTimeoutSeconds, System.Data.CommandType.Text, cancellationToken: cancellationToken));
                    }
                    catch (Exception e) when (e is NpgsqlException or PostgresException)
                    {
                        throw Failure(migration, direction, i, statement, e, rolledBack: false);
                    }
                }
            }
            else
            {
                await RunCodeStepAsync(connection, null, migration, direction, i, (CodeStep)step, rolledBack: false, cancellationToken);
            }
        }
    }

    private async Task ExecuteAsOneBatchAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, NpgsqlTransaction? outer, CancellationToken cancellationToken)
    {
        // Without an explicit BEGIN, PostgreSQL runs a batch (one Sync) as one implicit transaction: an error in any
        // statement rolls back all of them, bookkeeping included.
        await using var batch = new NpgsqlBatch(connection, outer) { Timeout = _commandTimeoutSeconds };
        var settings = TimeoutsFor(migration)?.SetStatements(local: true).ToList() ?? [];
        foreach (var setting in settings)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setting));
        var origins = new List<(int Step, SqlStatement Statement)>();
        for (var i = 0; i < migration.Steps.Count; i++)
        {
            foreach (var statement in SqlScript.Split(((SqlStep)migration.Steps[i]).Sql))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
                origins.Add((i, statement));
            }
        }

        foreach (var command in bookkeeping)
            batch.BatchCommands.Add(command);

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            // Npgsql leaves StatementType Unknown on the failed command and the ones it skipped.
            var failed = 0;
            while (failed < batch.BatchCommands.Count && batch.BatchCommands[failed].StatementType != StatementType.Unknown)
                failed++;
            failed -= settings.Count;
            if (failed >= 0 && failed < origins.Count)
                throw Failure(migration, direction, origins[failed].Step, origins[failed].Statement, e, rolledBack: true);
            throw BookkeepingFailure(migration, direction, e);
        }
    }

    private async Task ExecuteStepByStepAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, NpgsqlTransaction? outer, CancellationToken cancellationToken)
    {
        var transaction = outer ?? await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (TimeoutsFor(migration) is { } timeouts)
                await ExecuteSettingsAsync(connection, transaction, timeouts.SetStatements(local: true), cancellationToken);
            for (var i = 0; i < migration.Steps.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (migration.Steps[i] is SqlStep sql)
                {
                    try
                    {
                        await connection.ExecuteAsync(new CommandDefinition(sql.Sql, sql.Parameters, transaction, _commandTimeoutSeconds, System.Data.CommandType.Text, cancellationToken: cancellationToken));
                    }
                    catch (Exception e) when (e is NpgsqlException or PostgresException)
                    {
                        throw Failure(migration, direction, i, null, e, rolledBack: true);
                    }
                }
                else
                {
                    await RunCodeStepAsync(connection, transaction, migration, direction, i, (CodeStep)migration.Steps[i], rolledBack: true, cancellationToken);
                }
            }

            await using (var batch = new NpgsqlBatch(connection, transaction) { Timeout = _commandTimeoutSeconds })
            {
                foreach (var command in bookkeeping)
                    batch.BatchCommands.Add(command);
                try
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException e)
                {
                    throw BookkeepingFailure(migration, direction, e);
                }
            }

            if (outer is null)
                await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            if (outer is null)
                await RollBackQuietlyAsync(transaction);
            throw;
        }
        finally
        {
            if (outer is null)
                await transaction.DisposeAsync();
        }
    }

    private async Task ExecuteSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<string> statements,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { Timeout = _commandTimeoutSeconds };
        foreach (var statement in statements)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RunCodeStepAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PreparedMigration migration,
        MigrationDirection direction, int index, CodeStep step, bool rolledBack, CancellationToken cancellationToken)
    {
        var context = new MigrationContext(migration.Info, connection, transaction, _services, cancellationToken);
        try
        {
            await step.Action(context);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not MigrationException)
        {
            throw Failure(migration, direction, index, null, e, rolledBack);
        }
    }

    internal static async Task RollBackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection broke (the transaction is then disposed): the server rolls it back on its own.
        }
    }

    private MigrationFailedException Failure(PreparedMigration migration, MigrationDirection direction, int stepIndex,
        SqlStatement? statement, Exception error, bool rolledBack)
    {
        var timeouts = TimeoutsFor(migration);
        var message = new StringBuilder()
            .Append($"Migration {migration.Info} failed while {Doing(direction)}, at step {stepIndex + 1} of {migration.Steps.Count} ({migration.Steps[stepIndex].Describe()})");
        if (statement is { } s && error is PostgresException { Position: > 0 } positioned)
        {
            var line = s.Line + s.Text.AsSpan(0, Math.Min(positioned.Position - 1, s.Text.Length)).Count('\n');
            message.Append($", line {line} of the step");
        }

        message.AppendLine(":");
        message.Append("  ").AppendLine(DescribeError(error));
        if (error is PostgresException { SqlState: "55P03" })
            message.AppendLine($"  The statement waited longer than the lock timeout{(timeouts is null ? "" : $" ({timeouts.DdlLockTimeout})")} for a lock another session holds: run it when the table is less busy, or raise the migration's DdlLockTimeout.");
        else if (error is PostgresException { SqlState: "57014" } && timeouts is not null)
            message.AppendLine($"  The statement ran longer than the statement timeout ({timeouts.StatementTimeout}): raise the migration's StatementTimeout if it needs longer.");
        if (statement is { } failedStatement)
            message.Append("  statement: ").AppendLine(PreparedMigration.Abbreviate(failedStatement.Text));
        message.Append(rolledBack
            ? $"The migration was rolled back: none of its changes remain and no history row was written. Fix it and run {(direction == MigrationDirection.Up ? "up" : "down")} again."
            : "The migration runs without a transaction, so the statements before this one remain in effect. It is marked as failed in the history, " +
              "and further runs are blocked until you resolve it: complete or undo its statements by hand, then run " +
              $"'resolve {migration.Info.Version} --applied' or 'resolve {migration.Info.Version} --not-applied'.");
        return new MigrationFailedException(migration.Info, direction, message.ToString(), error);
    }

    private static MigrationFailedException BookkeepingFailure(PreparedMigration migration, MigrationDirection direction, PostgresException error) =>
        new(migration.Info, direction,
            $"Migration {migration.Info} ran, but recording it in the history table failed, so it was rolled back:{Environment.NewLine}  {DescribeError(error)}{Environment.NewLine}" +
            "Check that the history table is intact and writable by this user.", error);

    /// <summary>"42P01: relation "x" does not exist (position 15) · detail · hint" for PostgreSQL errors; the message otherwise.</summary>
    public static string DescribeError(Exception error)
    {
        if (error is not PostgresException pg)
            return $"{error.GetType().Name}: {error.Message}";
        var text = new StringBuilder($"{pg.SqlState}: {pg.MessageText}");
        if (pg.Position > 0)
            text.Append($" (position {pg.Position})");
        if (!string.IsNullOrEmpty(pg.Detail))
            text.Append($"; detail: {pg.Detail}");
        if (!string.IsNullOrEmpty(pg.Hint))
            text.Append($"; hint: {pg.Hint}");
        return text.ToString();
    }
}
