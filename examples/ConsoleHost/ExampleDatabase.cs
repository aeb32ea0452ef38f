using CodeMigrations.Cli;
using CodeMigrations.Testing;
using Npgsql;

namespace ConsoleHost;

/// <summary>
/// The example's zero-setup database: when no connection is configured, a PostgreSQL cluster kept in the example's
/// own .pgdata folder (git-ignored), created from the local PostgreSQL binaries on first use, started for the command
/// and stopped after it. Successive commands therefore see the same database, "blog".
/// </summary>
internal static class ExampleDatabase
{
    private const string DatabaseName = "blog";

    public static async Task<MigrationCliDatabase?> StartAsync(CancellationToken cancellationToken)
    {
        if (LocalPostgresCluster.FindBinaries() is null)
        {
            throw new MigrationCliUsageException(
                "No database to migrate: pass --connection or set CODEMIGRATIONS_CONNECTION to use your own PostgreSQL, " +
                "or install PostgreSQL so the example can start one of its own in examples/ConsoleHost/.pgdata " +
                "(`sudo apt-get install postgresql` on Debian/Ubuntu, `sudo dnf install postgresql-server` on Fedora, " +
                $"`brew install postgresql@16` on macOS; or set {LocalPostgresCluster.BinariesEnvironmentVariable} to the folder holding pg_ctl, initdb and postgres).");
        }

        var folder = FindExampleFolder();
        LocalPostgresCluster cluster;
        try
        {
            cluster = await LocalPostgresCluster.StartPersistentAsync(Path.Combine(folder, ".pgdata"), cancellationToken: cancellationToken);
        }
        catch (PostgresUnavailableException e)
        {
            throw new MigrationCliUsageException(e.Message + " Or set CODEMIGRATIONS_CONNECTION to use your own server.", e);
        }

        try
        {
            await CreateDatabaseIfMissingAsync(cluster.ConnectionString, cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        // Standard error, so that `status --json` keeps standard output to the JSON alone.
        Console.Error.WriteLine(
            $"Using the example's local PostgreSQL {cluster.Version} in {Describe(cluster.DataDirectory)} " +
            $"({(cluster.OwnsServer ? "started for this command" : "already running")}; set CODEMIGRATIONS_CONNECTION to use your own server).");

        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = DatabaseName }.ConnectionString;
        return new MigrationCliDatabase(connectionString, async () =>
        {
            // The pooled connections would otherwise make the server wait before it stops.
            NpgsqlConnection.ClearAllPools();
            await cluster.DisposeAsync();
        });
    }

    /// <summary>The folder holding ConsoleHost.csproj, found from the build output (not the current directory).</summary>
    private static string FindExampleFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ConsoleHost.csproj")))
                return folder.FullName;
        }

        // Published somewhere else: keep the data beside the program.
        return AppContext.BaseDirectory;
    }

    private static async Task CreateDatabaseIfMissingAsync(string maintenanceConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(maintenanceConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", connection);
        exists.Parameters.Add(new NpgsqlParameter<string>(null!, DatabaseName));
        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            return;
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another command created it at the same moment.
        }
    }

    /// <summary>The data folder relative to the current directory when it is below it, else in full.</summary>
    private static string Describe(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
