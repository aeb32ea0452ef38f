using System.Security.Cryptography;
using System.Text;
using CodeMigrations.Execution;
using CodeMigrations.History;
using Npgsql;

namespace CodeMigrations.Verification;

/// <summary>
/// The database <c>verify</c> and <c>drift</c> apply migrations to: one they create on the target's server and drop
/// afterwards, or one the user names, used as it is and kept. Never the target database itself.
/// </summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private const string ObjectInUse = "55006";
    private const string InsufficientPrivilege = "42501";

    private readonly NpgsqlConnection? _server;

    private ScratchDatabase(NpgsqlConnection connection, string name, NpgsqlConnection? server)
    {
        Connection = connection;
        Name = name;
        _server = server;
    }

    /// <summary>The open connection to the scratch database; the only one a run uses.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The scratch database's name.</summary>
    public string Name { get; }

    /// <summary>Whether we created it, and so drop it on dispose.</summary>
    public bool IsOwned => _server is not null;

    /// <summary>
    /// Creates <c>&lt;database&gt;_verify_&lt;random&gt;</c> on the server <paramref name="server"/> is connected to, and
    /// opens a connection to it with the same credentials. <paramref name="server"/> stays open: dispose drops the
    /// database through it.
    /// </summary>
    /// <exception cref="MigrationDatabaseException">The database could not be created (for example, no CREATEDB privilege).</exception>
    public static async Task<ScratchDatabase> CreateAsync(NpgsqlConnection server, string purpose, CancellationToken cancellationToken)
    {
        var name = NewName(server.Database, purpose);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {MigrationHistory.QuoteIdentifier(name)}", server);
                await create.ExecuteNonQueryAsync(cancellationToken);
                break;
            }
            catch (PostgresException e) when (e.SqlState == ObjectInUse && attempt < 10)
            {
                // "source database template1 is being accessed by other users": someone is briefly connected to it.
                await Task.Delay(50 * attempt, cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new MigrationDatabaseException(
                    $"Could not create the scratch database {name} on the server of {server.Database}: {MigrationExecutor.DescribeError(e)}. " +
                    (e.SqlState == InsufficientPrivilege
                        ? "The user needs the CREATEDB privilege, or name an empty database to use instead (--scratch-connection)."
                        : "Name an empty database to use instead (--scratch-connection)."), e);
            }
        }

        NpgsqlConnection? connection = null;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = false };
            WithoutWaitingForFlush(builder);
            connection = server.CloneWith(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return new ScratchDatabase(connection, name, server);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync();
            await DropAsync(server, name);
            throw;
        }
    }

    /// <summary>
    /// Drops this database and creates an empty one in its place (another name), for a run that must start over; only
    /// for a database we created. The caller uses the returned one from then on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was given by the user: it cannot be recreated.</exception>
    public async Task<ScratchDatabase> RecreateAsync(string purpose, CancellationToken cancellationToken)
    {
        var server = _server ?? throw new InvalidOperationException("A scratch database given by the user cannot be recreated.");
        if (await CloseAsync() is { } problem)
            throw new MigrationDatabaseException(problem);
        return await CreateAsync(server, purpose, cancellationToken);
    }

    /// <summary>
    /// Opens the database the user named as scratch. Refuses one that holds the history table: that is a migrated
    /// database, perhaps the target itself, and a run would revert its migrations.
    /// </summary>
    /// <exception cref="MigrationException">The database holds the history table.</exception>
    /// <exception cref="MigrationDatabaseException">It could not be reached.</exception>
    public static async Task<ScratchDatabase> OpenAsync(string connectionString, string applicationName, MigrationHistory history,
        CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new MigrationDatabaseException($"The scratch connection string is not valid: {e.Message}", e);
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = applicationName;
        WithoutWaitingForFlush(builder);
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (await history.ExistsAsync(connection, cancellationToken))
            {
                throw new MigrationException(
                    $"The scratch database {connection.Database} holds the history table {history.QualifiedName}: it is a migrated database, " +
                    "not a scratch one, and verify or drift would revert its migrations. Name an empty database that exists only for this.");
            }

            return new ScratchDatabase(connection, connection.Database, server: null);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new MigrationDatabaseException(
                $"Could not connect to the scratch database (Host={builder.Host};Port={builder.Port};Database={builder.Database}): {MigrationExecutor.DescribeError(e)}", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes the connection and, when we created the database, drops it. Returns what went wrong, or
    /// <see langword="null"/>: a failure here must not hide the outcome of the run.
    /// </summary>
    public async Task<string?> CloseAsync()
    {
        await Connection.DisposeAsync();
        if (_server is null)
            return null;
        try
        {
            await DropAsync(_server, Name);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return $"The scratch database {Name} could not be dropped ({MigrationExecutor.DescribeError(e)}): drop it by hand.";
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private static async Task DropAsync(NpgsqlConnection server, string name)
    {
        // WITH (FORCE) (PostgreSQL 13+) ends sessions a migration may have opened to it; ours is closed already.
        var force = server.PostgreSqlVersion.Major >= 13 ? " WITH (FORCE)" : "";
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {MigrationHistory.QuoteIdentifier(name)}{force}", server);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// Sets <c>synchronous_commit = off</c> for the scratch session, in the startup packet (no round trip): a commit then
    /// returns without waiting for its WAL to reach the disk. A scratch database is dropped afterwards and nothing in it
    /// must survive a crash, while a run commits once per migration (hundreds of disk flushes otherwise). What the
    /// migrations do and what the snapshots see is the same either way.
    /// </summary>
    internal static void WithoutWaitingForFlush(NpgsqlConnectionStringBuilder builder)
    {
        const string setting = "-c synchronous_commit=off";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? setting : $"{builder.Options} {setting}";
    }

    /// <summary>"app_verify_3f9c2a1b": the target's name reduced to plain characters, so the whole stays within 63 bytes.</summary>
    internal static string NewName(string? database, string purpose)
    {
        var plain = new StringBuilder();
        foreach (var c in (database ?? "db").ToLowerInvariant())
        {
            if (plain.Length == 40)
                break;
            plain.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        return $"{plain}_{purpose}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
