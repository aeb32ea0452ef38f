namespace CodeMigrations.Testing;

/// <summary>Where <see cref="PostgresServer.StartAsync"/> may look for a server, and how a throwaway one is set up.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>The default for <see cref="ConnectionEnvironmentVariable"/>.</summary>
    public const string DefaultConnectionEnvironmentVariable = "CODEMIGRATIONS_TEST_CONNECTION";

    /// <summary>
    /// The environment variable that may hold the connection string of an existing server to use instead of starting one
    /// (a superuser or a role with CREATEDB). Null to never look at the environment.
    /// </summary>
    public string? ConnectionEnvironmentVariable { get; init; } = DefaultConnectionEnvironmentVariable;

    /// <summary>Whether a PostgreSQL container may be started through Testcontainers when a Docker engine answers.</summary>
    public bool UseDocker { get; init; } = true;

    /// <summary>
    /// Whether a server started by us flushes its writes to disk. Tests turn it off for speed; benchmarks keep the default.
    /// An existing server named by <see cref="ConnectionEnvironmentVariable"/> is left as it is.
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>
    /// The folder of the local PostgreSQL binaries. When null: the <c>CODEMIGRATIONS_PG_BIN</c> environment variable,
    /// else the highest <c>/usr/lib/postgresql/*/bin</c>, else <c>pg_ctl</c> on the PATH.
    /// </summary>
    public string? BinariesDirectory { get; init; }
}
