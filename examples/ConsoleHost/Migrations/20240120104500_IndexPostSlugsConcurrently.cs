using CodeMigrations;

namespace ConsoleHost.Migrations;

/// <summary>
/// A unique index built without locking writes: PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction, so
/// this migration opts out of one (UseTransaction = false) and holds nothing else. Should it fail half-way, the history
/// marks it as failed and further runs wait until `resolve` records what was done by hand.
/// </summary>
[Migration(20240120104500, UseTransaction = false)]
public sealed class IndexPostSlugsConcurrently : Migration
{
    public override void Up() => Execute("CREATE UNIQUE INDEX CONCURRENTLY ux_posts_slug ON posts (slug)");

    public override void Down() => Execute("DROP INDEX CONCURRENTLY ux_posts_slug");
}
