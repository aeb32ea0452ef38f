using CodeMigrations;
using Dapper;

namespace ConsoleHost.Migrations;

/// <summary>
/// A data migration: adds posts.slug, fills it for the existing posts with a code step (Dapper, on the migration's own
/// connection and transaction) using a service from the host's container, then makes it required. All of it runs in one
/// transaction: if anything fails, the column is not there either.
/// </summary>
[Migration(20240120103000)]
[AllowUnsafe("setting-not-null", "posts is small; on a large table, validate a CHECK (slug IS NOT NULL) in an earlier migration first")]
public sealed class AddPostSlugs : Migration
{
    private readonly ISlugGenerator _slugs;

    // Migrations are created through dependency injection: Program.cs registers ISlugGenerator.
    public AddPostSlugs(ISlugGenerator slugs) => _slugs = slugs;

    public override void Up()
    {
        Execute("ALTER TABLE posts ADD COLUMN slug text");
        Execute(async context =>
        {
            var posts = await context.Connection.QueryAsync<(long Id, string Title)>(new CommandDefinition(
                "SELECT id, title FROM posts ORDER BY id", transaction: context.Transaction, cancellationToken: context.CancellationToken));
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, title) in posts)
            {
                var slug = _slugs.Create(title);
                for (var n = 2; !taken.Add(slug); n++)
                    slug = $"{_slugs.Create(title)}-{n}";
                await context.Connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE posts SET slug = @slug WHERE id = @id", new { slug, id }, context.Transaction, cancellationToken: context.CancellationToken));
            }
        }, "fill posts.slug from the titles");
        Execute("ALTER TABLE posts ALTER COLUMN slug SET NOT NULL");
    }

    public override void Down() => Execute("ALTER TABLE posts DROP COLUMN slug");
}
