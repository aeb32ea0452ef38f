namespace CodeMigrations.TestHost.Sets.NonTransactional;

[Migration(401, UseTransaction = false)]
public sealed class IndexMissingTableConcurrently : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE nt_effect (id int)");
        Execute("CREATE INDEX CONCURRENTLY ix_nt_missing ON no_such_table (id)");
    }

    public override void Down() => Execute("DROP INDEX CONCURRENTLY IF EXISTS ix_nt_missing; DROP TABLE nt_effect");
}
