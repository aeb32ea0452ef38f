namespace CodeMigrations.TestHost.Sets.Failing;

[Migration(201)]
public sealed class BreakOnPurpose : Migration
{
    public override void Up()
    {
        Execute("CREATE TABLE failing_effect (id int)");
        Execute("INSERT INTO no_such_table VALUES (1)");
    }

    public override void Down() => Execute("DROP TABLE failing_effect");
}
