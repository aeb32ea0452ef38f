namespace CodeMigrations.Linting;

/// <summary>The rules of <c>lint</c> (and of the analyzer's warnings on constant SQL), with their ids.</summary>
public static class LintRules
{
    /// <summary>Where the rules are documented: the CodeMigrations package's README.</summary>
    public const string HelpLink = "https://www.nuget.org/packages/CodeMigrations#readme-body-tab";

    /// <summary><c>ADD COLUMN ... NOT NULL</c> without a default on an existing table.</summary>
    public static readonly LintRule AddingNotNullColumnWithoutDefault = new("adding-not-null-column-without-default",
        "Adding a NOT NULL column without a default",
        "fails on a table that has rows (the new column would be null in each), after taking an ACCESS EXCLUSIVE lock",
        "add the column with a constant DEFAULT (no rewrite since PostgreSQL 11), or add it nullable, backfill it in batches, then add NOT NULL as for setting-not-null");

    /// <summary><c>ADD COLUMN ... DEFAULT</c> with a volatile expression.</summary>
    public static readonly LintRule AddingVolatileDefault = new("adding-volatile-default",
        "Adding a column with a volatile default",
        "rewrites the whole table under an ACCESS EXCLUSIVE lock: a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), ...) is computed for every existing row",
        "add the column without a default (or with a constant one), set the volatile default with ALTER COLUMN ... SET DEFAULT for new rows, and backfill existing rows in batches");

    /// <summary><c>ALTER COLUMN ... TYPE</c> that rewrites the table.</summary>
    public static readonly LintRule ChangingColumnType = new("changing-column-type",
        "Changing a column's type",
        "rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (only varchar(n) to a larger n or to text, numeric precision increases and similar changes skip the rewrite)",
        "add a new column of the new type, write both from the application, backfill in batches, then switch reads and drop the old column");

    /// <summary><c>CREATE INDEX</c> without <c>CONCURRENTLY</c>.</summary>
    public static readonly LintRule CreateIndexNonConcurrently = new("create-index-non-concurrently",
        "Creating an index without CONCURRENTLY",
        "blocks every write to the table (SHARE lock) while the index is built",
        "CREATE INDEX CONCURRENTLY in a migration marked [Migration(..., UseTransaction = false)]");

    /// <summary><c>DROP INDEX</c> without <c>CONCURRENTLY</c>.</summary>
    public static readonly LintRule DropIndexNonConcurrently = new("drop-index-non-concurrently",
        "Dropping an index without CONCURRENTLY",
        "takes an ACCESS EXCLUSIVE lock on the table, which waits for every running query and blocks all that come after it",
        "DROP INDEX CONCURRENTLY in a migration marked [Migration(..., UseTransaction = false)]");

    /// <summary><c>REINDEX</c> without <c>CONCURRENTLY</c>.</summary>
    public static readonly LintRule ReindexNonConcurrently = new("reindex-non-concurrently",
        "Rebuilding an index without CONCURRENTLY",
        "blocks writes to the table and reads that use the index while it is rebuilt",
        "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a migration marked [Migration(..., UseTransaction = false)]");

    /// <summary><c>ADD FOREIGN KEY</c> without <c>NOT VALID</c>.</summary>
    public static readonly LintRule AddingForeignKeyWithoutNotValid = new("adding-foreign-key-without-not-valid",
        "Adding a foreign key without NOT VALID",
        "scans the whole table to validate every row while blocking writes to it and to the referenced table (SHARE ROW EXCLUSIVE locks)",
        "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration (it scans without blocking writes)");

    /// <summary><c>ADD CHECK</c> without <c>NOT VALID</c>.</summary>
    public static readonly LintRule AddingCheckWithoutNotValid = new("adding-check-without-not-valid",
        "Adding a check constraint without NOT VALID",
        "scans the whole table to validate every row under an ACCESS EXCLUSIVE lock",
        "ADD CONSTRAINT ... CHECK (...) NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later migration (it scans without blocking writes)");

    /// <summary><c>ALTER COLUMN ... SET NOT NULL</c> without a validated check first.</summary>
    public static readonly LintRule SettingNotNull = new("setting-not-null",
        "Setting NOT NULL on an existing column",
        "scans the whole table to check for nulls under an ACCESS EXCLUSIVE lock",
        "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later migration; then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check");

    /// <summary><c>ADD UNIQUE</c> without <c>USING INDEX</c>.</summary>
    public static readonly LintRule AddingUniqueWithoutIndex = new("adding-unique-without-index",
        "Adding a unique constraint without USING INDEX",
        "builds a unique index while blocking writes, under an ACCESS EXCLUSIVE lock",
        "CREATE UNIQUE INDEX CONCURRENTLY first (a non-transactional migration), then ADD CONSTRAINT ... UNIQUE USING INDEX");

    /// <summary><c>ADD PRIMARY KEY</c> without <c>USING INDEX</c>.</summary>
    public static readonly LintRule AddingPrimaryKeyWithoutIndex = new("adding-primary-key-without-index",
        "Adding a primary key without USING INDEX",
        "builds a unique index (and checks the columns for nulls) while blocking writes, under an ACCESS EXCLUSIVE lock",
        "CREATE UNIQUE INDEX CONCURRENTLY first (a non-transactional migration), then ADD CONSTRAINT ... PRIMARY KEY USING INDEX");

    /// <summary><c>RENAME COLUMN</c>.</summary>
    public static readonly LintRule RenamingColumn = new("renaming-column",
        "Renaming a column",
        "breaks the application code still running, which reads and writes the old name",
        "add the new column, write both, backfill, move the reads, then drop the old column in a later release (or a view that keeps the old name)");

    /// <summary><c>ALTER TABLE ... RENAME TO</c>.</summary>
    public static readonly LintRule RenamingTable = new("renaming-table",
        "Renaming a table",
        "breaks the application code still running, which queries the old name",
        "create the new table, write both, backfill, move the reads, then drop the old one in a later release (or leave a view with the old name)");

    /// <summary><c>DROP COLUMN</c>.</summary>
    public static readonly LintRule DroppingColumn = new("dropping-column",
        "Dropping a column",
        "breaks the application code still running that selects or inserts it",
        "stop using the column in the code and deploy that first, then drop it in a later migration, suppressing this rule with [AllowUnsafe(\"dropping-column\", \"no code uses it since ...\")]");

    /// <summary><c>DROP TABLE</c>.</summary>
    public static readonly LintRule DroppingTable = new("dropping-table",
        "Dropping a table",
        "breaks the application code still running that uses it, and loses its data",
        "stop using the table in the code and deploy that first, then drop it, suppressing this rule with [AllowUnsafe(\"dropping-table\", \"unused since ...\")]");

    /// <summary><c>VACUUM FULL</c>.</summary>
    public static readonly LintRule VacuumFull = new("vacuum-full",
        "VACUUM FULL",
        "rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it is done",
        "plain VACUUM, or pg_repack, run outside migrations");

    /// <summary><c>CLUSTER</c>.</summary>
    public static readonly LintRule Cluster = new("cluster",
        "CLUSTER",
        "rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes until it is done",
        "pg_repack, run outside migrations");

    /// <summary><c>UPDATE</c> without <c>WHERE</c>.</summary>
    public static readonly LintRule UpdateWithoutWhere = new("update-without-where",
        "UPDATE without WHERE",
        "rewrites every row in one transaction, holding row locks on all of them and bloating the table",
        "backfill in batches (UPDATE ... WHERE id BETWEEN ...), in a code step or outside the migration");

    /// <summary><c>DELETE</c> without <c>WHERE</c>.</summary>
    public static readonly LintRule DeleteWithoutWhere = new("delete-without-where",
        "DELETE without WHERE",
        "deletes every row in one transaction, holding row locks on all of them",
        "delete in batches (DELETE ... WHERE id BETWEEN ...), or TRUNCATE if that is what is meant");

    /// <summary><c>ADD COLUMN</c> of a serial or identity column.</summary>
    public static readonly LintRule AddingSerialOrIdentityColumn = new("adding-serial-or-identity-column",
        "Adding a serial or identity column",
        "rewrites the whole table under an ACCESS EXCLUSIVE lock to number every existing row",
        "add a nullable bigint column, attach a sequence as its default for new rows, backfill existing rows in batches");

    /// <summary>Every rule, in the order of the documentation.</summary>
    public static IReadOnlyList<LintRule> All { get; } =
    [
        AddingNotNullColumnWithoutDefault, AddingVolatileDefault, ChangingColumnType, CreateIndexNonConcurrently,
        DropIndexNonConcurrently, ReindexNonConcurrently, AddingForeignKeyWithoutNotValid, AddingCheckWithoutNotValid,
        SettingNotNull, AddingUniqueWithoutIndex, AddingPrimaryKeyWithoutIndex, RenamingColumn, RenamingTable,
        DroppingColumn, DroppingTable, VacuumFull, Cluster, UpdateWithoutWhere, DeleteWithoutWhere,
        AddingSerialOrIdentityColumn,
    ];

    /// <summary>The rule with the id <paramref name="id"/>; null if there is none.</summary>
    /// <param name="id">A rule id such as <c>create-index-non-concurrently</c>.</param>
    /// <returns>The rule, or null.</returns>
    public static LintRule? Find(string id)
    {
        foreach (var rule in All)
        {
            if (string.Equals(rule.Id, id, StringComparison.Ordinal))
                return rule;
        }

        return null;
    }
}
