namespace CodeMigrations.Tests.Verification;

/// <summary>
/// Sets of two migrations: a correct first one that creates the shop, and a second one whose Down forgets something.
/// Each set is selected on its own with <c>TypeFilter = t => t.DeclaringType == set</c>.
/// </summary>
public static class WrongDowns
{
    public abstract class CreateShop : Migration
    {
        public override void Up() => Execute("""
            CREATE TYPE book_format AS ENUM ('hardcover', 'paperback');
            CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
            CREATE TABLE books (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                title text NOT NULL,
                price numeric(10,2) NOT NULL,
                author_id bigint,
                format book_format
            );
            """);

        public override void Down() => Execute("DROP TABLE books; DROP TABLE authors; DROP TYPE book_format;");
    }

    public static class ForgetsIndex
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class IndexBooks : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_books_title ON books (title); CREATE INDEX ix_books_price ON books (price);");

            public override void Down() => Execute("DROP INDEX ix_books_price");
        }
    }

    public static class ForgetsColumn
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class AddIsbnAndSubtitle : Migration
        {
            public override void Up() => Execute("ALTER TABLE books ADD COLUMN isbn text, ADD COLUMN subtitle text");

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN subtitle");
        }
    }

    public static class ForgetsForeignKey
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class LinkBooksToAuthors : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE books ADD CONSTRAINT fk_books_author FOREIGN KEY (author_id) REFERENCES authors (id);
                CREATE INDEX ix_books_author ON books (author_id);
                """);

            public override void Down() => Execute("DROP INDEX ix_books_author");
        }
    }

    public static class ForgetsDefault
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class AddCurrencyAndFreeBooks : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE books ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
                ALTER TABLE books ALTER COLUMN price SET DEFAULT 0;
                """);

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN currency");
        }
    }

    public static class ForgetsCheckConstraint
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ValidateBooks : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE books ADD CONSTRAINT ck_books_price CHECK (price >= 0);
                ALTER TABLE books ADD CONSTRAINT ck_books_title CHECK (title <> '');
                """);

            public override void Down() => Execute("ALTER TABLE books DROP CONSTRAINT ck_books_title");
        }
    }

    public static class ForgetsView
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class CreateCheapBooks : Migration
        {
            public override void Up() => Execute("CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10");

            // A typo: IF EXISTS hides it.
            public override void Down() => Execute("DROP VIEW IF EXISTS cheap_book");
        }
    }

    public static class ForgetsFunction
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class CreateBookStats : Migration
        {
            public override void Up() => Execute("""
                CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM books';
                CREATE VIEW book_stats AS SELECT book_count() AS books;
                """);

            public override void Down() => Execute("DROP VIEW book_stats");
        }
    }

    public static class ForgetsEnumValue
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class AddEbookFormat : Migration
        {
            public override void Up() => Execute("ALTER TYPE book_format ADD VALUE 'ebook'");

            // "PostgreSQL cannot drop an enum value": the type must be recreated without it, which this Down forgets.
            public override void Down()
            {
            }
        }
    }

    public static class ForgetsSequence
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class NumberInvoices : Migration
        {
            public override void Up() => Execute("""
                CREATE SEQUENCE invoice_number START 1000;
                ALTER TABLE books ADD COLUMN invoice bigint DEFAULT nextval('invoice_number');
                """);

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN invoice");
        }
    }

    /// <summary>Down fails; migration 3 after it is still verified.</summary>
    public static class FailingDown
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class AddIsbn : Migration
        {
            public override void Up() => Execute("ALTER TABLE books ADD COLUMN isbn text");

            public override void Down() => Execute("ALTER TABLE book DROP COLUMN isbn");
        }

        [Migration(3)]
        public sealed class IndexIsbn : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_books_isbn ON books (isbn)");

            public override void Down() => Execute("DROP INDEX ix_books_isbn");
        }
    }

    /// <summary>
    /// The schema after Down is right, but Down leaves the row Up inserted, so Up fails the second time on the primary
    /// key: only running Up again finds it.
    /// </summary>
    public static class UpCannotRunAgain
    {
        [Migration(1)]
        public sealed class CreateSettings : Migration
        {
            public override void Up() => Execute("CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL)");

            public override void Down() => Execute("DROP TABLE settings");
        }

        [Migration(2)]
        public sealed class SeedTheme : Migration
        {
            public override void Up() => Execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')");

            public override void Down() => Execute("DELETE FROM settings WHERE key = 'them'");
        }

        [Migration(3)]
        public sealed class SeedLanguage : Migration
        {
            public override void Up() => Execute("INSERT INTO settings (key, value) VALUES ('language', 'en')");

            public override void Down() => Execute("DELETE FROM settings WHERE key = 'language'");
        }
    }

    /// <summary>The second Up fails: the ones after it are left unverified.</summary>
    public static class TooSlow
    {
        [Migration(1, StatementTimeout = "200ms")]
        public sealed class SlowBackfill : Migration
        {
            public override void Up() => Execute("CREATE TABLE slow (id int); SELECT pg_sleep(5)");

            public override void Down() => Execute("DROP TABLE slow");
        }
    }

    public static class FailingUp
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class AddIsbn : Migration
        {
            public override void Up() => Execute("ALTER TABLE book ADD COLUMN isbn text");

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN isbn");
        }

        [Migration(3)]
        public sealed class IndexIsbn : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_books_isbn ON books (isbn)");

            public override void Down() => Execute("DROP INDEX ix_books_isbn");
        }

        [Migration(4)]
        public sealed class AddSubtitle : Migration
        {
            public override void Up() => Execute("ALTER TABLE books ADD COLUMN subtitle text");

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN subtitle");
        }
    }

    public static class WithIrreversible
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        [Irreversible("drops the legacy price column and its data")]
        public sealed class DropPrice : Migration
        {
            public override void Up() => Execute("ALTER TABLE books DROP COLUMN price");

            public override void Down()
            {
            }
        }

        [Migration(3)]
        public sealed class AddIsbn : Migration
        {
            public override void Up() => Execute("ALTER TABLE books ADD COLUMN isbn text");

            public override void Down() => Execute("ALTER TABLE books DROP COLUMN isbn");
        }
    }
}
