using System.Globalization;

namespace CodeMigrations.Benchmarks;

/// <summary>What the migrations of a workload do.</summary>
internal enum WorkloadKind
{
    /// <summary>Each migration creates a table with a primary key, inserts a row and creates an index: the database's DDL work dominates.</summary>
    Heavy,

    /// <summary>Each migration inserts one row into a shared table: the tool's own per-migration overhead dominates.</summary>
    Tiny,

    /// <summary>
    /// A history like a real project's, in groups of eight: a table with rows, an index, a view, a trigger function, a
    /// trigger, an enum and a column of it, a data update, a column with a partial index; every Down right.
    /// </summary>
    Realistic,
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
        WorkloadKind.Realistic => RealisticUp(i, GroupTable(i)),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    public string Down(int i) => Kind switch
    {
        WorkloadKind.Heavy => string.Create(CultureInfo.InvariantCulture, $"DROP TABLE t_{i};"),
        WorkloadKind.Tiny => string.Create(CultureInfo.InvariantCulture, $"DELETE FROM kv WHERE k = {i};"),
        WorkloadKind.Realistic => RealisticDown(i, GroupTable(i)),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    /// <summary>The table of migration <c>i</c>'s group of eight: the one its first migration creates.</summary>
    private static int GroupTable(int i) => (i - 1) / 8 * 8 + 1;

    private static string RealisticUp(int i, int b) => ((i - 1) % 8) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE r_{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, qty int NOT NULL DEFAULT 0, updated_at timestamptz); INSERT INTO r_{i} (name) SELECT 'n' || x FROM generate_series(1, 20) x;"),
        1 => string.Create(CultureInfo.InvariantCulture, $"CREATE INDEX ix_r_{b}_name ON r_{b} (name);"),
        2 => string.Create(CultureInfo.InvariantCulture, $"CREATE VIEW rv_{b} AS SELECT id, name FROM r_{b} WHERE qty >= 0;"),
        3 => string.Create(CultureInfo.InvariantCulture,
            $"CREATE FUNCTION rf_{b}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;"),
        4 => string.Create(CultureInfo.InvariantCulture, $"CREATE TRIGGER rt_{b} BEFORE UPDATE ON r_{b} FOR EACH ROW EXECUTE FUNCTION rf_{b}();"),
        5 => string.Create(CultureInfo.InvariantCulture,
            $"CREATE TYPE re_{b} AS ENUM ('new', 'done'); ALTER TABLE r_{b} ADD COLUMN state re_{b} NOT NULL DEFAULT 'new';"),
        6 => string.Create(CultureInfo.InvariantCulture, $"UPDATE r_{b} SET qty = qty + 1;"),
        _ => string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE r_{b} ADD COLUMN note text; CREATE INDEX ix_r_{b}_qty ON r_{b} (qty) WHERE note IS NULL;"),
    };

    private static string RealisticDown(int i, int b) => ((i - 1) % 8) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"DROP TABLE r_{i};"),
        1 => string.Create(CultureInfo.InvariantCulture, $"DROP INDEX ix_r_{b}_name;"),
        2 => string.Create(CultureInfo.InvariantCulture, $"DROP VIEW rv_{b};"),
        3 => string.Create(CultureInfo.InvariantCulture, $"DROP FUNCTION rf_{b}();"),
        4 => string.Create(CultureInfo.InvariantCulture, $"DROP TRIGGER rt_{b} ON r_{b};"),
        5 => string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE r_{b} DROP COLUMN state; DROP TYPE re_{b};"),
        6 => string.Create(CultureInfo.InvariantCulture, $"UPDATE r_{b} SET qty = qty - 1;"),
        _ => string.Create(CultureInfo.InvariantCulture, $"DROP INDEX ix_r_{b}_qty; ALTER TABLE r_{b} DROP COLUMN note;"),
    };

    public IEnumerable<int> Indexes => Enumerable.Range(1, Count);
}
