namespace CodeMigrations.TestHost.Sets.PooledNonTransactional;

// After the pooled set: an index built without a transaction, on its table.

[Migration(1031, UseTransaction = false)]
public sealed class Pooled1031IndexConcurrently : Migration
{
    public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_pooled_effects_version ON pooled_effects (version)");

    public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_pooled_effects_version");
}
