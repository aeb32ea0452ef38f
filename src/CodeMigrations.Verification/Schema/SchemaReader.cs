using CodeMigrations.Execution;
using CodeMigrations.Running;
using Npgsql;

namespace CodeMigrations.Schema;

/// <summary>
/// Reads the schema of the configured database, leaving the configured history table out: what the <c>schema</c>
/// command prints. Registered by <c>AddCodeMigrations</c>; to read any open connection, use
/// <see cref="SchemaSnapshot.CaptureAsync"/>.
/// </summary>
public sealed class SchemaReader
{
    private readonly CodeMigrationsOptions _options;
    private readonly MigrationConnectionFactory _connections;

    internal SchemaReader(CodeMigrationsOptions options, MigrationConnectionFactory connections)
    {
        _options = options;
        _connections = connections;
    }

    /// <summary>Reads the configured database's schema; see <see cref="SchemaSnapshot"/> for what it holds.</summary>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="MigrationDatabaseException">The database could not be reached or its catalogs read.</exception>
    public async Task<SchemaSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        try
        {
            return await SchemaSnapshot.CaptureAsync(connection, SchemaSnapshotOptions.For(_options), cancellationToken);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MigrationDatabaseException($"Reading the schema of {_connections.Target} failed: {MigrationExecutor.DescribeError(e)}", e);
        }
    }
}
