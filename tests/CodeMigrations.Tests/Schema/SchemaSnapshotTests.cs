using CodeMigrations.History;
using CodeMigrations.Schema;
using Npgsql;

namespace CodeMigrations.Tests.Schema;

[Parallelizable(ParallelScope.All)]
public sealed class SchemaSnapshotTests
{
    /// <summary>A schema with one object of every kind the snapshot describes.</summary>
    private const string Bookshop = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE SCHEMA sales;
        COMMENT ON SCHEMA sales IS 'What we sell';
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0);
        CREATE TYPE address AS (street text, city text COLLATE "C");
        CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
        CREATE SEQUENCE order_no START 1000 INCREMENT 5;
        CREATE TABLE authors (id bigserial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE books (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            title text NOT NULL COLLATE "C",
            isbn text UNIQUE,
            price numeric(10,2) DEFAULT 0 CHECK (price >= 0),
            author_id bigint REFERENCES authors (id) ON DELETE CASCADE,
            mood mood,
            title_upper text GENERATED ALWAYS AS (upper(title)) STORED,
            tenant text
        );
        COMMENT ON COLUMN books.isbn IS 'ISBN-13';
        CREATE INDEX ix_books_title ON books (title);
        CREATE INDEX ix_books_trgm ON books USING gin (title gin_trgm_ops);
        CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
        CREATE MATERIALIZED VIEW books_per_author AS SELECT author_id, count(*) FROM books GROUP BY author_id;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE PROCEDURE sales.archive(days int) LANGUAGE sql AS $$ SELECT 1 $$;
        CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');
        CREATE TRIGGER trg_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE books ENABLE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON books USING (tenant = current_user);
        CREATE TABLE sales.events (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE sales.events_2024 PARTITION OF sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE reservations (room int, during tsrange, EXCLUDE USING gist (during WITH &&));
        """;

    [Test]
    public async Task The_snapshot_describes_every_kind_of_object_one_line_per_object_and_property()
    {
        var text = (await CaptureAsync(Bookshop)).ToText();

        Assert.That(text, Does.StartWith("-- Schema snapshot by CodeMigrations"));
        var lines = text.Split('\n');
        Assert.That(lines, Is.SupersetOf(new[]
        {
            "schema sales comment: What we sell",
            "extension pg_trgm",
            "enum value mood.'ok' position: after 'sad'",
            "domain positive_int type: integer",
            "domain positive_int nullable: no",
            "domain positive_int default: 1",
            "domain constraint positive_int.positive definition: CHECK ((VALUE > 0))",
            "composite type address attributes: street text, city text COLLATE \"C\"",
            "range type floatrange subtype: double precision",
            "sequence order_no start: 1000",
            "sequence order_no increment: 5",
            "sequence authors_id_seq owned by: authors.id",
            "table books row level security: enabled",
            "column books.id identity: always",
            "column books.isbn",
            "column books.isbn type: text",
            "column books.isbn nullable: yes",
            "column books.isbn comment: ISBN-13",
            "column books.price default: 0",
            "column books.title collation: \"C\"",
            "column books.mood type: public.mood",
            "column books.title_upper generated: always as (upper(title)) stored",
            "primary key books.books_pkey definition: PRIMARY KEY (id)",
            "unique constraint books.books_isbn_key definition: UNIQUE (isbn)",
            "foreign key books.books_author_id_fkey definition: FOREIGN KEY (author_id) REFERENCES public.authors(id) ON DELETE CASCADE",
            "check constraint books.books_price_check definition: CHECK ((price >= (0)::numeric))",
            "exclusion constraint reservations.reservations_during_excl definition: EXCLUDE USING gist (during WITH &&)",
            "index ix_books_title definition: CREATE INDEX ix_books_title ON public.books USING btree (title)",
            "index ix_books_trgm definition: CREATE INDEX ix_books_trgm ON public.books USING gin (title public.gin_trgm_ops)",
            "trigger books.trg_touch definition: CREATE TRIGGER trg_touch BEFORE UPDATE ON public.books FOR EACH ROW EXECUTE FUNCTION public.touch()",
            "policy books.tenant_isolation using: (tenant = CURRENT_USER)",
            "partitioned table sales.events partition key: RANGE (at)",
            "table sales.events_2024 partition of: sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "view cheap_books definition:",
            "       FROM public.books",
            "materialized view books_per_author",
            "function touch() definition:",
            "    CREATE OR REPLACE FUNCTION public.touch()",
            "procedure sales.archive(IN days integer)",
            "aggregate total(integer) definition: RETURNS integer SFUNC int4pl STYPE integer INITCOND '0'",
        }));
    }

    [Test]
    public async Task The_same_schema_created_in_another_order_and_with_other_oids_gives_the_same_text()
    {
        var first = await CaptureAsync(Bookshop);
        var second = await CaptureAsync("""
            CREATE TABLE filler (id int); DROP TABLE filler;
            CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
            CREATE TYPE address AS (street text, city text COLLATE "C");
            CREATE TABLE authors (name text NOT NULL, id bigserial PRIMARY KEY);
            CREATE SEQUENCE order_no START 1000 INCREMENT 5;
            CREATE TYPE mood AS ENUM ('sad', 'happy');
            ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE TABLE books (tenant text, title text NOT NULL COLLATE "C", id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
            CREATE TABLE reservations (room int, during tsrange, EXCLUDE USING gist (during WITH &&));
            CREATE DOMAIN positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0);
            ALTER TABLE books ADD COLUMN title_upper text GENERATED ALWAYS AS (upper(title)) STORED, ADD COLUMN mood mood,
                ADD COLUMN author_id bigint REFERENCES authors (id) ON DELETE CASCADE, ADD COLUMN price numeric(10,2) DEFAULT 0 CHECK (price >= 0),
                ADD COLUMN isbn text UNIQUE;
            CREATE POLICY tenant_isolation ON books USING (tenant = current_user);
            ALTER TABLE books ENABLE ROW LEVEL SECURITY;
            CREATE TRIGGER trg_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE INDEX ix_books_trgm ON books USING gin (title gin_trgm_ops);
            CREATE INDEX ix_books_title ON books (title);
            COMMENT ON COLUMN books.isbn IS 'ISBN-13';
            CREATE AGGREGATE total(int) (sfunc = int4pl, stype = int, initcond = '0');
            CREATE MATERIALIZED VIEW books_per_author AS SELECT author_id, count(*) FROM books GROUP BY author_id;
            CREATE VIEW cheap_books AS SELECT id, title FROM books WHERE price < 10;
            CREATE SCHEMA sales;
            CREATE TABLE sales.events (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE sales.events_2024 PARTITION OF sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE PROCEDURE sales.archive(days int) LANGUAGE sql AS $$ SELECT 1 $$;
            COMMENT ON SCHEMA sales IS 'What we sell';
            """);

        Assert.That(SchemaDiff.Compare(first, second), Is.Empty);
        Assert.That(second.ToText(), Is.EqualTo(first.ToText()));
    }

    [Test]
    public async Task The_snapshot_does_not_depend_on_the_search_path_and_leaves_it_as_it_was()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE SCHEMA sales; CREATE TYPE sales.mood AS ENUM ('ok'); CREATE TABLE sales.orders (m sales.mood)");
        var plain = await SchemaSnapshot.CaptureAsync(connection);

        await ExecuteAsync(connection, "SET search_path = sales, public");
        var withSearchPath = await SchemaSnapshot.CaptureAsync(connection);

        Assert.That(withSearchPath.ToText(), Is.EqualTo(plain.ToText()));
        Assert.That(plain.Find(SchemaObjectKind.Column, "sales.orders.m")?["type"], Is.EqualTo("sales.mood"));
        await using var show = new NpgsqlCommand("SHOW search_path", connection);
        Assert.That(await show.ExecuteScalarAsync(), Is.EqualTo("sales, public"));
    }

    [Test]
    public async Task The_history_table_system_schemas_and_extension_members_are_left_out()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await new MigrationHistory("public", "migration_history").CreateIfMissingAsync(connection, CancellationToken.None);
        await new MigrationHistory("ops", "applied").CreateIfMissingAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, "CREATE EXTENSION pg_trgm; CREATE TABLE kept (id int)");

        var text = (await SchemaSnapshot.CaptureAsync(connection)).ToText();
        var custom = (await SchemaSnapshot.CaptureAsync(connection, new SchemaSnapshotOptions { HistorySchema = "ops", HistoryTable = "applied" })).ToText();
        var everything = (await SchemaSnapshot.CaptureAsync(connection, new SchemaSnapshotOptions { HistoryTable = null })).ToText();

        Assert.That(text, Does.Not.Contain("migration_history").And.Contain("table ops.applied").And.Contain("table kept"));
        Assert.That(custom, Does.Contain("migration_history").And.Not.Contain("table ops.applied").And.Contain("schema ops"));
        Assert.That(everything, Does.Contain("table migration_history").And.Contain("column migration_history.version"));
        Assert.That(text, Does.Contain("extension pg_trgm version:").And.Not.Contain("function similarity").And.Not.Contain("gtrgm_in"));
        Assert.That(text, Does.Not.Contain("pg_catalog.").And.Not.Contain("information_schema").And.Not.Contain("pg_toast"));
    }

    [Test]
    public async Task A_snapshot_inside_a_transaction_sees_its_uncommitted_changes()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, "CREATE TABLE pending (id int)");

        var inside = await SchemaSnapshot.CaptureAsync(connection);
        await transaction.RollbackAsync();
        var after = await SchemaSnapshot.CaptureAsync(connection);

        Assert.That(inside.Find(SchemaObjectKind.Table, "pending"), Is.Not.Null);
        Assert.That(after.Find(SchemaObjectKind.Table, "pending"), Is.Null);
    }

    internal static async Task<SchemaSnapshot> CaptureAsync(string sql)
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
        return await SchemaSnapshot.CaptureAsync(connection);
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
