namespace CodeMigrations.TestHost.Sets.Slow;

[Migration(301)]
public sealed class SleepInTransaction : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE slow_effect (id int);
        INSERT INTO slow_effect VALUES (1);
        SELECT pg_sleep(60);
        """);

    public override void Down() => Execute("DROP TABLE slow_effect");
}
