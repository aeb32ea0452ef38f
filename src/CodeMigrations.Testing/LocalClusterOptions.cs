namespace CodeMigrations.Testing;

/// <summary>How a <see cref="LocalPostgresCluster"/> is set up.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>
    /// Whether the server flushes its writes to disk (<c>fsync</c>). Turn it off for tests, where speed matters more than
    /// surviving a power cut; keep it on for benchmarks and for data that should last.
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>
    /// The folder holding <c>pg_ctl</c>, <c>initdb</c> and <c>postgres</c>. When null: the <c>CODEMIGRATIONS_PG_BIN</c>
    /// environment variable, else the highest <c>/usr/lib/postgresql/*/bin</c>, else <c>pg_ctl</c> on the PATH
    /// (see <see cref="LocalPostgresCluster.FindBinaries"/>).
    /// </summary>
    public string? BinariesDirectory { get; init; }
}
