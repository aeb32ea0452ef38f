namespace CodeMigrations.Hosting.Tests.Sets.Slow;

/// <summary>Creates a table, then takes 30 seconds: long enough to be cancelled in flight.</summary>
[Migration(4)]
public sealed class SlowTable : Migration
{
    public override void Up() => Execute("CREATE TABLE slow_table (id int); SELECT pg_sleep(30)");

    public override void Down() => Execute("DROP TABLE slow_table");
}
