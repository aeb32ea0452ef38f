namespace CodeMigrations.Tests.Verification;

/// <summary>Sets whose Downs are right but once looked wrong to verify: each is selected on its own by its declaring class.</summary>
public static class FalseAlarms
{
    /// <summary>
    /// Up creates the extension ltree, an ltree column and a view using it; Down rebuilds the view, drops the column,
    /// then the extension. Runs with psql; once failed inside verify with 2BP01, because Up's data work leaves a
    /// temporary table with an ltree column in the session, which psql's next session no longer has.
    /// </summary>
    public static class Ltree
    {
        [Migration(1)]
        public sealed class CreatePages : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE pages (id int PRIMARY KEY, title text NOT NULL);
                CREATE VIEW page_list AS SELECT id, title FROM pages;
                """);

            public override void Down() => Execute("DROP VIEW page_list; DROP TABLE pages;");
        }

        [Migration(2)]
        public sealed class AddPagePaths : Migration
        {
            public override void Up() => Execute("""
                CREATE EXTENSION ltree;
                ALTER TABLE pages ADD COLUMN path ltree;
                CREATE INDEX ix_pages_path ON pages USING gist (path);
                CREATE TEMP TABLE page_paths AS SELECT id, text2ltree('top.' || id) AS path FROM pages;
                UPDATE pages p SET path = t.path FROM page_paths t WHERE t.id = p.id;
                DROP VIEW page_list;
                CREATE VIEW page_list AS SELECT id, title, path, nlevel(path) AS depth FROM pages WHERE path <@ 'top';
                """);

            public override void Down() => Execute("""
                DROP VIEW page_list;
                CREATE VIEW page_list AS SELECT id, title FROM pages;
                ALTER TABLE pages DROP COLUMN path;
                DROP EXTENSION ltree;
                """);
        }

        [Migration(3)]
        public sealed class AddPageSlugs : Migration
        {
            public override void Up() => Execute("ALTER TABLE pages ADD COLUMN slug text");

            public override void Down() => Execute("ALTER TABLE pages DROP COLUMN slug");
        }
    }

    /// <summary>
    /// A view compares with <c>'now'::timestamp - interval '1 month'</c>: PostgreSQL folds the literal into the
    /// definition when the view is created, so every creation gives another text. The Down of the second migration
    /// rebuilds the first one's view.
    /// </summary>
    public static class TimeLiteralView
    {
        [Migration(1)]
        public sealed class CreateEvents : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE events (id int PRIMARY KEY, happened_at timestamp NOT NULL, kind text NOT NULL);
                CREATE VIEW recent_events AS SELECT id, happened_at FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
                """);

            public override void Down() => Execute("DROP VIEW recent_events; DROP TABLE events;");
        }

        [Migration(2)]
        public sealed class ShowEventKinds : Migration
        {
            public override void Up() => Execute("""
                DROP VIEW recent_events;
                CREATE VIEW recent_events AS SELECT id, happened_at, kind FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
                """);

            public override void Down() => Execute("""
                SELECT pg_sleep(0.01);
                DROP VIEW recent_events;
                CREATE VIEW recent_events AS SELECT id, happened_at FROM events WHERE happened_at > 'now'::timestamp - interval '1 month';
                """);
        }
    }

    /// <summary>A Down that re-adds a dropped column puts it last: the same schema but for the order of the columns.</summary>
    public static class ColumnReaddedLast
    {
        [Migration(1)]
        public sealed class CreateUsers : Migration
        {
            public override void Up() => Execute("CREATE TABLE users (id int PRIMARY KEY, nickname text, email text NOT NULL)");

            public override void Down() => Execute("DROP TABLE users");
        }

        [Migration(2)]
        public sealed class DropNickname : Migration
        {
            public override void Up() => Execute("ALTER TABLE users DROP COLUMN nickname");

            public override void Down() => Execute("ALTER TABLE users ADD COLUMN nickname text");
        }
    }
}
