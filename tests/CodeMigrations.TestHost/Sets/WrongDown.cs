namespace CodeMigrations.TestHost.Sets.WrongDown;

[Migration(701)]
public sealed class CreateWidgets : Migration
{
    public override void Up() => Execute("CREATE TABLE widgets (id int PRIMARY KEY, name text)");

    public override void Down() => Execute("DROP TABLE widgets");
}

// Its Down forgets the index: verify must say so.
[Migration(702)]
public sealed class IndexWidgetNames : Migration
{
    public override void Up() => Execute("CREATE INDEX ix_widgets_name ON widgets (name)");

    public override void Down() => Execute("SELECT 1");
}
