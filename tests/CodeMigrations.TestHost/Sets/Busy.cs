namespace CodeMigrations.TestHost.Sets.Busy;

[Migration(1401)]
public sealed class CreateBusyWidgets : Migration
{
    public override void Up() => Execute("CREATE TABLE busy_widgets (id int)");

    public override void Down() => Execute("DROP TABLE busy_widgets");
}

/// <summary>Needs an ACCESS EXCLUSIVE lock on busy_widgets and waits at most a second for it.</summary>
[Migration(1402, DdlLockTimeout = "1s")]
public sealed class AlterBusyWidgets : Migration
{
    public override void Up() => Execute("ALTER TABLE busy_widgets ADD COLUMN name text");

    public override void Down() => Execute("ALTER TABLE busy_widgets DROP COLUMN name");
}
