namespace CodeMigrations.Hosting.Tests.Sets;

[Migration(1)]
public sealed class CreateFirstTable : Migration
{
    public override void Up() => Execute("CREATE TABLE first_table (id int)");

    public override void Down() => Execute("DROP TABLE first_table");
}

[Migration(2)]
public sealed class CreateSecondTable : Migration
{
    public override void Up() => Execute("CREATE TABLE second_table (id int)");

    public override void Down() => Execute("DROP TABLE second_table");
}
