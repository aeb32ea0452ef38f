namespace CodeMigrations.Tests.Verification;

/// <summary>
/// A history with one migration per outcome and note, failures in the middle: verify must judge everything after them,
/// and stop only after the Up that fails on its own.
/// </summary>
public static class EveryOutcome
{
    [Migration(1)]
    public sealed class CreateShop : Migration
    {
        public override void Up() => Execute("""
            CREATE SEQUENCE build_no;
            CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
            CREATE TABLE books (id int PRIMARY KEY, title text NOT NULL, price numeric NOT NULL, nickname text, email text);
            CREATE TABLE events (id int PRIMARY KEY, happened_at timestamp NOT NULL, kind text NOT NULL);
            CREATE VIEW recent_events AS SELECT id, happened_at FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
            """);

        public override void Down() => Execute("DROP VIEW recent_events; DROP TABLE events, books, settings; DROP SEQUENCE build_no;");
    }

    /// <summary>down-failed: Down names a table that does not exist.</summary>
    [Migration(2)]
    public sealed class AddIsbn : Migration
    {
        public override void Up() => Execute("ALTER TABLE books ADD COLUMN isbn text");

        public override void Down() => Execute("ALTER TABLE book DROP COLUMN isbn");
    }

    /// <summary>down-differs: Down forgets an index; its Up uses IF NOT EXISTS, so Up again passes.</summary>
    [Migration(3)]
    public sealed class IndexTitles : Migration
    {
        public override void Up() => Execute("CREATE INDEX IF NOT EXISTS ix_books_title ON books (title); CREATE INDEX ix_books_price ON books (price);");

        public override void Down() => Execute("DROP INDEX ix_books_price");
    }

    /// <summary>up-again-fails: the schema after Down is right, but the row Up inserted stays and Up trips over it.</summary>
    [Migration(4)]
    public sealed class SeedTheme : Migration
    {
        public override void Up() => Execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')");

        public override void Down() => Execute("DELETE FROM settings WHERE key = 'them'");
    }

    /// <summary>up-again-differs: Up stamps a comment with a build number, which is another one the second time.</summary>
    [Migration(5)]
    public sealed class StampBooks : Migration
    {
        public override void Up() => Execute("DO $$ BEGIN EXECUTE format('COMMENT ON TABLE books IS %L', 'build ' || nextval('build_no')); END $$");

        public override void Down() => Execute("COMMENT ON TABLE books IS NULL");
    }

    /// <summary>down-failed without a transaction: the scratch database is rebuilt, and the next migrations are judged.</summary>
    [Migration(6, UseTransaction = false)]
    public sealed class IndexEmails : Migration
    {
        public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_books_email ON books (email)");

        public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_books_mail");
    }

    /// <summary>irreversible.</summary>
    [Migration(7)]
    [Irreversible("drops the price column and its data")]
    public sealed class DropPrice : Migration
    {
        public override void Up() => Execute("ALTER TABLE books DROP COLUMN price");

        public override void Down()
        {
        }
    }

    /// <summary>ok, noted column-order-only: Down re-adds the dropped column last.</summary>
    [Migration(8)]
    public sealed class DropNickname : Migration
    {
        public override void Up() => Execute("ALTER TABLE books DROP COLUMN nickname");

        public override void Down() => Execute("ALTER TABLE books ADD COLUMN nickname text");
    }

    /// <summary>ok, noted time-literals-only: Down rebuilds the first migration's view, whose folded literal is another one.</summary>
    [Migration(9)]
    public sealed class ShowEventKinds : Migration
    {
        public override void Up() => Execute("""
            DROP VIEW recent_events;
            CREATE VIEW recent_events AS SELECT id, happened_at, kind FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
            """);

        public override void Down() => Execute("""
            SELECT pg_sleep(0.002);
            DROP VIEW recent_events;
            CREATE VIEW recent_events AS SELECT id, happened_at FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
            """);
    }

    /// <summary>ok: after all those failures, a right migration is judged right.</summary>
    [Migration(10)]
    public sealed class AddSubtitle : Migration
    {
        public override void Up() => Execute("ALTER TABLE books ADD COLUMN subtitle text");

        public override void Down() => Execute("ALTER TABLE books DROP COLUMN subtitle");
    }

    /// <summary>up-failed: the Up itself fails, so the migration after it cannot be judged.</summary>
    [Migration(11)]
    public sealed class IndexAuthors : Migration
    {
        public override void Up() => Execute("CREATE INDEX ix_books_author ON books (author_id)");

        public override void Down() => Execute("DROP INDEX ix_books_author");
    }

    [Migration(12)]
    public sealed class AddLanguage : Migration
    {
        public override void Up() => Execute("ALTER TABLE books ADD COLUMN language text");

        public override void Down() => Execute("ALTER TABLE books DROP COLUMN language");
    }
}
