using System.Globalization;

namespace CodeMigrations.Benchmarks;

/// <summary>What the migrations of a workload do.</summary>
internal enum WorkloadKind
{
    /// <summary>Each migration creates a table with a primary key, inserts a row and creates an index: the database's DDL work dominates.</summary>
    Heavy,

    /// <summary>Each migration inserts one row into a shared table: the tool's own per-migration overhead dominates.</summary>
    Tiny,
}

/// <summary>
/// A set of <see cref="Count"/> migrations, identical SQL for every tool: migration <c>i</c> (1-based) has version
/// <c>20240101000000 + i</c>.
/// </summary>
internal sealed record Workload(string Key, WorkloadKind Kind, int Count, bool HasFloorScripts)
{
    public const long FirstVersion = 20240101000000;

    public static long Version(int i) => FirstVersion + i;

    /// <summary>The name every tool records: the class name and, with <c>.sql</c>, the script's file name.</summary>
    public static string Name(int i) => "M" + Version(i).ToString(CultureInfo.InvariantCulture);

    /// <summary>The file name DbUp and Evolve read (Evolve: <c>V&lt;version&gt;__&lt;description&gt;.sql</c>; DbUp orders by name).</summary>
    public static string ScriptFileName(int i) => string.Create(CultureInfo.InvariantCulture, $"V{Version(i)}__m{i}.sql");

    public string Up(int i) => Kind switch
    {
        WorkloadKind.Heavy => string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE t_{i} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now()); INSERT INTO t_{i} (name) VALUES ('seed'); CREATE INDEX ix_t_{i}_name ON t_{i} (name);"),
        WorkloadKind.Tiny => string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE IF NOT EXISTS kv (k int); INSERT INTO kv (k) VALUES ({i});"),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    public string Down(int i) => Kind switch
    {
        WorkloadKind.Heavy => string.Create(CultureInfo.InvariantCulture, $"DROP TABLE t_{i};"),
        WorkloadKind.Tiny => string.Create(CultureInfo.InvariantCulture, $"DELETE FROM kv WHERE k = {i};"),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    public IEnumerable<int> Indexes => Enumerable.Range(1, Count);
}
