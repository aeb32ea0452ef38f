namespace CodeMigrations.TestHost.Sets.ConcurrentlyInTransaction;

[Migration(601)]
public sealed class ConcurrentIndexInTransaction : Migration
{
    public override void Up() => Execute("CREATE TABLE cit (id int); CREATE INDEX CONCURRENTLY ix_cit ON cit (id)");

    public override void Down() => Execute("DROP TABLE cit");
}
