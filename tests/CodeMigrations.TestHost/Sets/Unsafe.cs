namespace CodeMigrations.TestHost.Sets.Unsafe;

[Migration(801)]
public sealed class CreateLintAccounts : Migration
{
    public override void Up() => Execute("CREATE TABLE lint_accounts (id bigint PRIMARY KEY, email text, note text); CREATE INDEX lint_accounts_id ON lint_accounts (id)");

    public override void Down() => Execute("DROP TABLE lint_accounts");
}

[Migration(802)]
public sealed class IndexLintAccountsByEmail : Migration
{
    public override void Up() => Execute("CREATE INDEX lint_accounts_email ON lint_accounts (email)");

    public override void Down() => Execute("DROP INDEX lint_accounts_email");
}

[Migration(803)]
[AllowUnsafe("dropping-column", "no code reads note since release 2")]
public sealed class DropLintNote : Migration
{
    public override void Up() => Execute("ALTER TABLE lint_accounts DROP COLUMN note");

    public override void Down() => Execute("ALTER TABLE lint_accounts ADD COLUMN note text");
}

[Migration(804)]
public sealed class LowerLintEmails : Migration
{
    public override void Up()
    {
        Execute(_ => Task.CompletedTask, "nothing");
        Execute("UPDATE lint_accounts SET email = lower(email)");
    }

    public override void Down()
    {
    }
}
