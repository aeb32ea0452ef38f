using CodeMigrations.Cli.Commands;
using CodeMigrations.Fleet;
using Npgsql;

namespace CodeMigrations.Cli.Fleet;

/// <summary>Finds the targets a command line names: the lines of <c>--targets FILE</c>, or the rows of <c>--targets-query SQL</c>.</summary>
internal static class FleetTargets
{
    /// <exception cref="MigrationCliUsageException">The file is missing or malformed, the query needs a connection, or it returned nothing usable.</exception>
    public static async Task<IReadOnlyList<MigrationTarget>> ResolveAsync(CliHost host, FleetOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<MigrationTarget> targets;
        string from;
        if (host.Get(options.Targets) is { } file)
        {
            from = file.Name;
            if (!file.Exists)
                throw new MigrationCliUsageException($"The targets file '{file.FullName}' does not exist.");
            try
            {
                targets = MigrationTargetList.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken), file.Name);
            }
            catch (MigrationTargetListException e)
            {
                throw new MigrationCliUsageException(e.Message, e);
            }
        }
        else
        {
            from = "--targets-query";
            targets = await QueryAsync(host, host.Get(options.TargetsQuery)!, cancellationToken);
        }

        return targets.Count > 0 ? targets : throw new MigrationCliUsageException($"{from} names no database: nothing to do.");
    }

    /// <summary>Runs the query on the command line's connection; each row's first column is a database name or a connection string.</summary>
    private static async Task<IReadOnlyList<MigrationTarget>> QueryAsync(CliHost host, string sql, CancellationToken cancellationToken)
    {
        var connection = host.CommandLineConnection ?? throw new MigrationCliUsageException(
            $"--targets-query runs on --connection: give the connection string of the server (or the environment variable {MigrationCli.ConnectionEnvironmentVariable}).");
        var server = new NpgsqlConnectionStringBuilder(connection);
        var rows = new List<string>();
        try
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, db);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!reader.IsDBNull(0))
                    rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new MigrationDatabaseException(
                $"--targets-query failed on {Running.MigrationConnectionFactory.Describe(server)}: {(e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message)}", e);
        }

        var targets = new List<MigrationTarget>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i].Trim();
            try
            {
                targets.Add(row.Contains('=', StringComparison.Ordinal)
                    ? new MigrationTarget(row)
                    : new MigrationTarget(new NpgsqlConnectionStringBuilder(connection) { Database = row }.ConnectionString));
            }
            catch (ArgumentException e)
            {
                throw new MigrationCliUsageException($"--targets-query row {i + 1} is neither a database name nor a connection string.", e);
            }
        }

        return targets;
    }
}
