using CodeMigrations.Cli;
using CodeMigrations.Testing;
using Npgsql;

namespace ConsoleHost;

/// <summary>
/// The example's zero-setup database: when no connection is configured, a PostgreSQL cluster kept in the example's
/// own .pgdata folder (git-ignored), created from the local PostgreSQL binaries on first use, started for the command
/// and stopped after it. Successive commands therefore see the same database, "blog". The web example (examples/WebApp)
/// uses the same one through <see cref="StartLocalAsync"/>.
/// </summary>
public static class ExampleDatabase
{
    private const string DatabaseName = "blog";

    /// <summary>The console host's default database: the local one, its problems as usage errors.</summary>
    internal static async Task<MigrationCliDatabase?> StartAsync(CancellationToken cancellationToken)
    {
        LocalExampleDatabase database;
        try
        {
            database = await StartLocalAsync("set CODEMIGRATIONS_CONNECTION to use your own server", cancellationToken);
        }
        catch (ExampleDatabaseUnavailableException e)
        {
            throw new MigrationCliUsageException(e.Message, e.InnerException);
        }

        return new MigrationCliDatabase(database.ConnectionString, database.DisposeAsync);
    }

    /// <summary>
    /// Starts (or joins) the example's local PostgreSQL and creates the "blog" database if missing. Disposing the result
    /// stops the server if this call started it.
    /// </summary>
    /// <param name="ownServerHint">How the caller's user points it at their own server instead, for the messages.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ExampleDatabaseUnavailableException">No PostgreSQL binaries, or the cluster would not start.</exception>
    public static async Task<LocalExampleDatabase> StartLocalAsync(string ownServerHint, CancellationToken cancellationToken)
    {
        if (LocalPostgresCluster.FindBinaries() is null)
        {
            throw new ExampleDatabaseUnavailableException(
                $"No database to migrate: {ownServerHint}, " +
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
            throw new ExampleDatabaseUnavailableException($"{e.Message} Or {ownServerHint}.", e);
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
            $"({(cluster.OwnsServer ? "started for this command" : "already running")}; {ownServerHint}).");

        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = DatabaseName }.ConnectionString;
        return new LocalExampleDatabase(connectionString, cluster);
    }

    /// <summary>
    /// The folder holding ConsoleHost.csproj, found from the build output (not the current directory): this example's
    /// own, or its sibling's when the web example (examples/WebApp) runs.
    /// </summary>
    private static string FindExampleFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ConsoleHost.csproj")))
                return folder.FullName;
            if (File.Exists(Path.Combine(folder.FullName, "ConsoleHost", "ConsoleHost.csproj")))
                return Path.Combine(folder.FullName, "ConsoleHost");
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

/// <summary>The example's local database, started by <see cref="ExampleDatabase.StartLocalAsync"/>.</summary>
public sealed class LocalExampleDatabase : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;

    internal LocalExampleDatabase(string connectionString, LocalPostgresCluster cluster)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    /// <summary>The "blog" database.</summary>
    public string ConnectionString { get; }

    /// <summary>Stops the server if it was started for this process.</summary>
    public async ValueTask DisposeAsync()
    {
        // The pooled connections would otherwise make the server wait before it stops.
        NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
    }
}

/// <summary>The example's local PostgreSQL cannot be used; the message says how to get one, or how to use your own.</summary>
public sealed class ExampleDatabaseUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExampleDatabaseUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
