using CodeMigrations;

namespace ConsoleHost.Migrations;

/// <summary>An index for the author page: an author's posts, newest first.</summary>
[Migration(20240112140000, Description = "Index posts by author and publication date")]
[AllowUnsafe("create-index-non-concurrently", "posts is still small when this runs; on a large table, index concurrently as IndexPostSlugsConcurrently does")]
public sealed class IndexPostsByAuthor : Migration
{
    public override void Up() => Execute("CREATE INDEX ix_posts_author_published ON posts (author_id, published_at DESC)");

    public override void Down() => Execute("DROP INDEX ix_posts_author_published");
}
