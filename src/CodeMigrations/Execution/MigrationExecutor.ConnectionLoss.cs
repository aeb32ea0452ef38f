using System.Net.Sockets;
using Npgsql;

namespace CodeMigrations.Execution;

// A migration whose connection to the server was lost: the server ended the session or crashed, or the network broke.
public sealed partial class MigrationExecutor
{
    /// <summary>
    /// Whether <paramref name="error"/> means the connection to the server is gone: the server ended the session (an
    /// administrator, a shutdown, a crash of another backend: SQLSTATE class 57P), a connection exception (class 08), or
    /// the stream broke under Npgsql. A command timeout is not one.
    /// </summary>
    /// <param name="error">What a statement threw.</param>
    /// <returns><see langword="true"/> when the session is gone.</returns>
    public static bool IsConnectionLoss(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: IOException or SocketException or EndOfStreamException or ObjectDisposedException } => true,
        _ => false,
    };

    /// <summary>
    /// The failure of a migration whose connection was lost, saying what that means for it: in a transaction, PostgreSQL
    /// rolls it back unless its COMMIT had completed, so it is applied whole or not at all; without one, what it
    /// completed remains and its mark blocks runs until resolved.
    /// </summary>
    private static MigrationFailedException ConnectionLost(MigrationInfo migration, MigrationDirection direction, Exception error, bool transactional,
        MigrationStepFailure? step = null)
    {
        var run = direction == MigrationDirection.Up ? "up" : "down";
        var done = direction == MigrationDirection.Up ? "applied" : "reverted";
        var message = $"Lost the connection to the server while {Doing(direction)} migration {migration}: {DescribeError(error)}{Environment.NewLine}" +
            (transactional
                ? $"It ran in a transaction, which PostgreSQL rolls back when its connection is lost before the COMMIT completes: it is {done} whole, " +
                  $"history row included, or not at all, never in part. Once the server answers again, run 'status' to see which, then '{run}' for the rest."
                : "It runs without a transaction, so the statements it completed before the loss remain, and its mark stays in the history: further runs " +
                  "are blocked until you resolve it. Once the server answers again, check its changes, complete or undo them by hand, then run " +
                  $"'resolve {migration.Version} --applied' or 'resolve {migration.Version} --not-applied'.");
        return new MigrationFailedException(migration, direction, message, error, step);
    }
}
