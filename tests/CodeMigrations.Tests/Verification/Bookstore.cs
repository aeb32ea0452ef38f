using Dapper;

namespace CodeMigrations.Tests.Verification;

/// <summary>A realistic set whose every Down is right: tables, constraints, enum, function and trigger, view, sequence,
/// row-level security, a code step, and an index built concurrently outside a transaction.</summary>
public static class Bookstore
{
    [Migration(20240101000001)]
    public sealed class CreateAuthors : Migration
    {
        public override void Up() => Execute("""
            CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
            COMMENT ON TABLE authors IS 'People who write books';
            """);

        public override void Down() => Execute("DROP TABLE authors");
    }

    [Migration(20240101000002)]
    public sealed class CreateBooks : Migration
    {
        public override void Up() => Execute("""
            CREATE TABLE books (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                title text NOT NULL,
                isbn text UNIQUE,
                price numeric(10,2) NOT NULL DEFAULT 0 CONSTRAINT ck_books_price CHECK (price >= 0),
                author_id bigint NOT NULL REFERENCES authors (id)
            );
            CREATE INDEX ix_books_title ON books (title);
            """);

        public override void Down() => Execute("DROP TABLE books");
    }

    [Migration(20240101000003)]
    public sealed class AddBookFormat : Migration
    {
        public override void Up() => Execute("""
            CREATE TYPE book_format AS ENUM ('hardcover', 'paperback', 'ebook');
            ALTER TABLE books ADD COLUMN format book_format NOT NULL DEFAULT 'paperback';
            """);

        public override void Down() => Execute("ALTER TABLE books DROP COLUMN format; DROP TYPE book_format;");
    }

    [Migration(20240101000004)]
    public sealed class TouchBooksOnUpdate : Migration
    {
        public override void Up() => Execute("""
            ALTER TABLE books ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.updated_at := now();
                RETURN NEW;
            END $$;
            CREATE TRIGGER trg_books_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
            """);

        public override void Down() => Execute("""
            DROP TRIGGER trg_books_touch ON books;
            DROP FUNCTION touch_updated_at();
            ALTER TABLE books DROP COLUMN updated_at;
            """);
    }

    [Migration(20240101000005)]
    public sealed class CreateCatalogViews : Migration
    {
        public override void Up() => Execute("""
            CREATE VIEW cheap_books AS SELECT id, title, price FROM books WHERE price < 10;
            CREATE MATERIALIZED VIEW books_per_author AS SELECT author_id, count(*) AS books FROM books GROUP BY author_id;
            CREATE UNIQUE INDEX ix_books_per_author ON books_per_author (author_id);
            """);

        public override void Down() => Execute("DROP MATERIALIZED VIEW books_per_author; DROP VIEW cheap_books;");
    }

    [Migration(20240101000006)]
    public sealed class CreateOrders : Migration
    {
        public override void Up() => Execute("""
            CREATE SEQUENCE order_number START 1000;
            CREATE TABLE orders (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                number bigint NOT NULL DEFAULT nextval('order_number'),
                book_id bigint NOT NULL REFERENCES books (id) ON DELETE CASCADE,
                customer text NOT NULL
            );
            ALTER SEQUENCE order_number OWNED BY orders.number;
            ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_orders ON orders USING (customer = current_user);
            """);

        public override void Down() => Execute("DROP TABLE orders");
    }

    [Migration(20240101000007)]
    public sealed class SeedHouseAuthor : Migration
    {
        public override void Up() => Execute(async context =>
            await context.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO authors (name) VALUES (@name)", new { name = "House" }, context.Transaction, cancellationToken: context.CancellationToken)),
            "insert the house author");

        public override void Down() => Execute("DELETE FROM authors WHERE name = @name", new { name = "House" });
    }

    [Migration(20240101000008, UseTransaction = false)]
    public sealed class IndexBooksByAuthor : Migration
    {
        public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_books_author ON books (author_id)");

        public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_books_author");
    }
}
