using CodeMigrations;

namespace ConsoleHost.Migrations;

/// <summary>A table: the blog's authors, with one sample author so the later migrations have data to work on.</summary>
[Migration(20240105090000)]
public sealed class CreateAuthors : Migration
{
    public override void Up() => Execute("""
        CREATE TABLE authors (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            email text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO authors (name, email) VALUES ('Ada Lovelace', 'ada@example.org');
        """);

    public override void Down() => Execute("DROP TABLE authors");
}
