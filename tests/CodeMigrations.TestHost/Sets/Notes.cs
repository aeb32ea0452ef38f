namespace CodeMigrations.TestHost.Sets.Notes;

[Migration(1301)]
public sealed class CreateMembers : Migration
{
    public override void Up() => Execute("CREATE TABLE members (id int PRIMARY KEY, nickname text, email text)");

    public override void Down() => Execute("DROP TABLE members");
}

// Its Down re-adds the column last: a note (column-order-only), not a failure, unless --strict.
[Migration(1302)]
public sealed class DropMemberNicknames : Migration
{
    public override void Up() => Execute("ALTER TABLE members DROP COLUMN nickname");

    public override void Down() => Execute("ALTER TABLE members ADD COLUMN nickname text");
}
