using System.Text;
using CodeMigrations.Sql;
using Dapper;
using Npgsql;

namespace CodeMigrations.Execution;

/// <summary>
/// Runs a migration's steps on a connection, with the lock and statement timeouts and the command timeout of the
/// configuration. It knows nothing of the history table: the runner hands it the bookkeeping statements that must
/// commit together with the steps. Registered by <c>AddCodeMigrations</c>; it holds no state of a run.
/// </summary>
public sealed partial class MigrationExecutor
{
    private readonly int _commandTimeoutSeconds;
    private readonly CodeMigrationsOptions _options;

    /// <summary>An executor with the timeouts of <paramref name="options"/>.</summary>
    /// <param name="options">
    /// The client-side command timeout (<see cref="CodeMigrationsOptions.CommandTimeout"/>) and the default lock and
    /// statement timeouts a migration runs with unless its attribute sets its own.
    /// </param>
    public MigrationExecutor(CodeMigrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _commandTimeoutSeconds = options.CommandTimeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : 0;
        _options = options;
    }

    private MigrationTimeouts TimeoutsFor(PreparedMigration migration) => MigrationTimeouts.For(migration.Info, _options);

    /// <summary>
    /// Runs the steps and <paramref name="bookkeeping"/> in one transaction: all of it commits, or none of it.
    /// A migration made only of SQL without parameters goes to PostgreSQL as one batch: one round trip.
    /// </summary>
    /// <param name="connection">The open connection to run on.</param>
    /// <param name="migration">The migration, prepared for <paramref name="direction"/>.</param>
    /// <param name="direction">Applying or reverting.</param>
    /// <param name="bookkeeping">The statements that commit with the steps (the history row); empty for none.</param>
    /// <param name="services">The services code steps receive: the scope the migration was created in.</param>
    /// <param name="cancellationToken">Cancels the migration: it is rolled back.</param>
    /// <param name="outer">
    /// A transaction to run inside instead (a dry run): nothing is committed, and on failure the caller rolls it back.
    /// </param>
    /// <returns>A task that completes when the migration committed.</returns>
    /// <exception cref="MigrationFailedException">A step failed; the transaction was rolled back.</exception>
    public Task ExecuteInTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, IServiceProvider services, CancellationToken cancellationToken, NpgsqlTransaction? outer = null) =>
        ExecuteInTransactionAsync(connection, migration, direction, bookkeeping, services, durable: true, cancellationToken, outer);

    /// <summary>
    /// As the public overload; when <paramref name="durable"/> is <see langword="false"/> the commit does not wait for the
    /// disk (<c>SET LOCAL synchronous_commit = off</c>): a later durable commit of the session makes it durable too.
    /// </summary>
    internal async Task ExecuteInTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, IServiceProvider services, bool durable, CancellationToken cancellationToken, NpgsqlTransaction? outer = null)
    {
        if (IsPlainSql(migration))
            await ExecuteAsOneBatchAsync(connection, migration, direction, bookkeeping, durable, outer, cancellationToken);
        else
            await ExecuteStepByStepAsync(connection, migration, direction, bookkeeping, services, durable, outer, cancellationToken);
    }

    /// <summary>
    /// Makes every earlier commit of the session durable, for a run that ends without its last durable commit (it failed
    /// or was cancelled) before it releases the lock: a commit that writes a transaction id waits for the WAL to reach the
    /// disk under the server's <c>synchronous_commit</c>, and the WAL is written in order. Quiet when the connection is gone.
    /// </summary>
    internal static async Task MakeCommitsDurableQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
            return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT txid_current()", connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: nothing more can be made durable from here.
        }
    }

    /// <summary>The settings a migration's transaction starts with: its timeouts and, unless durable, an asynchronous commit.</summary>
    private List<string> TransactionSettings(PreparedMigration migration, bool durable)
    {
        var settings = TimeoutsFor(migration).SetStatements(local: true).ToList();
        if (!durable)
            settings.Add("SET LOCAL synchronous_commit = off");
        return settings;
    }

    /// <summary>Whether every step is SQL without parameters: what can go to PostgreSQL as batch commands.</summary>
    internal static bool IsPlainSql(PreparedMigration migration)
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
    /// Runs the steps without a transaction, each statement as its own command (PostgreSQL refuses
    /// <c>CREATE INDEX CONCURRENTLY</c> inside a multi-statement batch).
    /// </summary>
    /// <param name="connection">The open connection to run on.</param>
    /// <param name="migration">The migration, prepared for <paramref name="direction"/>.</param>
    /// <param name="direction">Applying or reverting.</param>
    /// <param name="services">The services code steps receive: the scope the migration was created in.</param>
    /// <param name="cancellationToken">Cancels before the next statement; the ones before it stay in effect.</param>
    /// <returns>A task that completes when every statement ran.</returns>
    /// <exception cref="MigrationFailedException">A statement failed; the ones before it stay in effect.</exception>
    public async Task ExecuteWithoutTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        await ExecuteSettingsAsync(connection, null, TimeoutsFor(migration).SetStatements(local: false), cancellationToken);
        try
        {
            await ExecuteStatementsWithoutTransactionAsync(connection, migration, direction, services, cancellationToken);
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
                await ExecuteSettingsAsync(connection, null, MigrationTimeouts.ResetStatements(), CancellationToken.None);
        }
    }

    private async Task ExecuteStatementsWithoutTransactionAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IServiceProvider services, CancellationToken cancellationToken)
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
                await RunCodeStepAsync(connection, null, migration, direction, i, (CodeStep)step, services, rolledBack: false, cancellationToken);
            }
        }
    }

    private async Task ExecuteAsOneBatchAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, bool durable, NpgsqlTransaction? outer, CancellationToken cancellationToken)
    {
        // Without an explicit BEGIN, PostgreSQL runs a batch (one Sync) as one implicit transaction: an error in any
        // statement rolls back all of them, bookkeeping included.
        await using var batch = new NpgsqlBatch(connection, outer) { Timeout = _commandTimeoutSeconds };
        var settings = TransactionSettings(migration, durable);
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
        catch (NpgsqlException e) when (IsConnectionLoss(e))
        {
            throw ConnectionLost(migration.Info, direction, e, transactional: true);
        }
    }

    private async Task ExecuteStepByStepAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction,
        IReadOnlyList<NpgsqlBatchCommand> bookkeeping, IServiceProvider services, bool durable, NpgsqlTransaction? outer, CancellationToken cancellationToken)
    {
        var transaction = outer ?? await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteSettingsAsync(connection, transaction, TransactionSettings(migration, durable), cancellationToken);
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
                    await RunCodeStepAsync(connection, transaction, migration, direction, i, (CodeStep)migration.Steps[i], services, rolledBack: true, cancellationToken);
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
            {
                try
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                catch (NpgsqlException e) when (IsConnectionLoss(e))
                {
                    throw ConnectionLost(migration.Info, direction, e, transactional: true);
                }
            }
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
        MigrationDirection direction, int index, CodeStep step, IServiceProvider services, bool rolledBack, CancellationToken cancellationToken)
    {
        var context = new MigrationContext(migration.Info, connection, transaction, services, cancellationToken);
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
        int? line = statement is { } s && error is PostgresException { Position: > 0 } positioned
            ? s.Line + s.Text.AsSpan(0, Math.Min(positioned.Position - 1, s.Text.Length)).Count('\n')
            : null;
        var step = new MigrationStepFailure(stepIndex + 1, migration.Steps.Count, migration.Steps[stepIndex], statement, line);
        if (IsConnectionLoss(error))
            return ConnectionLost(migration.Info, direction, error, transactional: rolledBack, step);
        var message = new StringBuilder().AppendLine($"Migration {migration.Info} failed while {Doing(direction)}, at {step}:");
        message.Append("  ").AppendLine(DescribeError(error));
        if (error is PostgresException { SqlState: "55P03" })
            message.AppendLine($"  The statement waited longer than the lock timeout ({timeouts.DdlLockTimeout}) for a lock another session holds: run it when the table is less busy, or raise the migration's DdlLockTimeout.");
        else if (error is PostgresException { SqlState: "57014" })
            message.AppendLine($"  The statement ran longer than the statement timeout ({timeouts.StatementTimeout}): raise the migration's StatementTimeout if it needs longer.");
        if (statement is { } failedStatement)
            message.Append("  statement: ").AppendLine(PreparedMigration.Abbreviate(failedStatement.Text));
        message.Append(rolledBack
            ? $"The migration was rolled back: none of its changes remain and no history row was written. Fix it and run {(direction == MigrationDirection.Up ? "up" : "down")} again."
            : "The migration runs without a transaction, so the statements before this one remain in effect. It is marked as failed in the history, " +
              "and further runs are blocked until you resolve it: complete or undo its statements by hand, then run " +
              $"'resolve {migration.Info.Version} --applied' or 'resolve {migration.Info.Version} --not-applied'.");
        return new MigrationFailedException(migration.Info, direction, message.ToString(), error, step);
    }

    private static MigrationFailedException BookkeepingFailure(PreparedMigration migration, MigrationDirection direction, PostgresException error) =>
        IsConnectionLoss(error) ? ConnectionLost(migration.Info, direction, error, transactional: true) : new(migration.Info, direction,
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
