namespace CodeMigrations.TestHost.Sets.Duplicate;

[Migration(501)]
public sealed class FirstWithVersion501 : Migration
{
    public override void Up() => Execute("CREATE TABLE dup_a (id int)");

    public override void Down() => Execute("DROP TABLE dup_a");
}

[Migration(501)]
public sealed class SecondWithVersion501 : Migration
{
    public override void Up() => Execute("CREATE TABLE dup_b (id int)");

    public override void Down() => Execute("DROP TABLE dup_b");
}
