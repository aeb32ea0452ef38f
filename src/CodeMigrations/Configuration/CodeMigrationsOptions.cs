using System.Reflection;
using Npgsql;

namespace CodeMigrations;

/// <summary>Configures CodeMigrations: where the database is, where the migrations are, where history is kept.</summary>
public sealed class CodeMigrationsOptions
{
    /// <summary>The PostgreSQL connection string. Either this or <see cref="DataSource"/> is required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A data source to take connections from, instead of <see cref="ConnectionString"/>: used as it is (its own
    /// application name, pooling and settings) and never disposed by CodeMigrations, so its owner keeps control of it.
    /// </summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>The assemblies to search for migration classes. At least one is required.</summary>
    public IList<Assembly> Assemblies { get; } = new List<Assembly>();

    /// <summary>
    /// Keeps only the types it returns <see langword="true"/> for, before validation: for example one namespace of an
    /// assembly that holds several sets. <see langword="null"/> (the default) keeps every type.
    /// </summary>
    public Func<Type, bool>? TypeFilter { get; set; }

    /// <summary>The schema of the history table; created when missing. Default <c>public</c>.</summary>
    public string HistorySchema { get; set; } = "public";

    /// <summary>The name of the history table; created when missing. Default <c>migration_history</c>.</summary>
    public string HistoryTable { get; set; } = "migration_history";

    /// <summary>
    /// How long a run waits for another run to release the migration lock before giving up. Default 5 minutes: long
    /// enough for another deploy's migrations, short enough that a stuck run is noticed.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>lock_timeout</c> of every migration statement, as a PostgreSQL interval. Default <c>"5s"</c>: a DDL
    /// statement waiting for a lock on a busy table makes every later query on that table queue behind it, so it gives up
    /// after 5 seconds (error 55P03) rather than stall the application; retry at a quieter moment, or raise it for one
    /// migration with <see cref="MigrationAttribute.DdlLockTimeout"/>. <c>"0"</c> waits forever.
    /// </summary>
    public string DdlLockTimeout { get; set; } = "5s";

    /// <summary>
    /// How many times a migration in a transaction runs again after a statement of it gave up waiting for a lock
    /// (<see cref="DdlLockTimeout"/>, SQLSTATE 55P03): it rolled back whole, so running it again is safe. The pauses
    /// between tries grow (about 1 s, 2 s, 4 s, with jitter, at most 30 s) so a busy table gets time to calm down without
    /// the migration ever queueing traffic behind it for longer than the lock timeout. Default 3: a deploy waits at most
    /// about half a minute more on a table a short transaction holds, and fails clearly on one held for good. Override
    /// per migration with <see cref="MigrationAttribute.DdlLockRetries"/>; <c>0</c> fails at the first timeout.
    /// </summary>
    public int DdlLockRetries { get; set; } = 3;

    /// <summary>
    /// The <c>statement_timeout</c> of every migration statement, as a PostgreSQL interval. Default <c>"0"</c> (none):
    /// building an index or backfilling a column can legitimately take long. Per migration:
    /// <see cref="MigrationAttribute.StatementTimeout"/>.
    /// </summary>
    public string StatementTimeout { get; set; } = "0";

    /// <summary>
    /// Whether <c>up</c> first checks every applied migration against its recorded checksum and refuses when one changed
    /// (default <see langword="true"/>). The check creates and describes each migration, on a second core while the
    /// connection opens.
    /// </summary>
    public bool ValidateChecksumsOnUp { get; set; } = true;

    /// <summary>
    /// Whether every migration's commit waits for the disk (default <see langword="false"/>). By default a run is
    /// durable at its end: each migration still commits atomically with its history row, but only the commit before the
    /// run reports success, the one before a migration without a transaction and the one before the lock is released
    /// wait for the disk (the server's <c>synchronous_commit</c>); the others commit with <c>synchronous_commit = off</c>.
    /// PostgreSQL writes its log in order, so the last durable commit makes the earlier ones durable. A server crash in
    /// the middle of a run leaves a prefix of its migrations, each whole with its history row; the run has not
    /// reported success, and the next run applies the rest. Set it to have each migration durable on its own commit.
    /// </summary>
    public bool DurableEach { get; set; }

    /// <summary>The client-side timeout of each command a migration sends; <see langword="null"/> (the default) waits without limit.</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>
    /// The <c>Application Name</c> our connections show in <c>pg_stat_activity</c>, unless the connection string sets one.
    /// Default <see cref="DefaultApplicationName"/>. Not applied to a given <see cref="DataSource"/>.
    /// </summary>
    public string ApplicationName { get; set; } = DefaultApplicationName;

    /// <summary>The default <see cref="ApplicationName"/>: <c>CodeMigrations</c>.</summary>
    public const string DefaultApplicationName = "CodeMigrations";
}
