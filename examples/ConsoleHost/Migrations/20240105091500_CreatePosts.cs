using CodeMigrations;

namespace ConsoleHost.Migrations;

/// <summary>A table with a foreign key: every post belongs to an author. Two sample posts.</summary>
[Migration(20240105091500)]
public sealed class CreatePosts : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE posts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
            title text NOT NULL,
            body text NOT NULL DEFAULT '',
            published_at timestamptz
        );
        INSERT INTO posts (author_id, title, body, published_at)
        SELECT id, 'Notes on the Analytical Engine', 'It might act upon other things besides number.', '1843-09-01'
        FROM authors WHERE email = 'ada@example.org';
        INSERT INTO posts (author_id, title)
        SELECT id, 'Draft: Poetical Science' FROM authors WHERE email = 'ada@example.org';
        """);

    public override void Down() => Execute("DROP TABLE posts");
}
