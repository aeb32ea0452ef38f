namespace CodeMigrations.Tests.Verification;

/// <summary>
/// Patterns that real projects' migration histories use (Rails and Django apps, Flyway and golang-migrate folders), each as
/// a set selected by its declaring class: a right Down that verify must pass, and beside it the slip people make in that
/// pattern, which verify must catch.
/// </summary>
public static class RealWorldPatterns
{
    /// <summary>
    /// A view written <c>SELECT *</c> is expanded when it is created: adding a column means rebuilding the view, and the
    /// Down must rebuild it again without the column.
    /// </summary>
    public static class SelectStarView
    {
        [Migration(1)]
        public sealed class CreateUsers : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
                CREATE VIEW active_users AS SELECT * FROM users WHERE active;
                """);

            public override void Down() => Execute("DROP VIEW active_users; DROP TABLE users;");
        }

        [Migration(2)]
        public sealed class AddEmail : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE users ADD COLUMN email text;
                DROP VIEW active_users;
                CREATE VIEW active_users AS SELECT * FROM users WHERE active;
                """);

            public override void Down() => Execute("""
                DROP VIEW active_users;
                ALTER TABLE users DROP COLUMN email;
                CREATE VIEW active_users AS SELECT * FROM users WHERE active;
                """);
        }

        /// <summary>The slip: <c>DROP COLUMN ... CASCADE</c> drops the view too, and nothing creates it again.</summary>
        [Migration(3)]
        public sealed class AddPhone : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE users ADD COLUMN phone text;
                DROP VIEW active_users;
                CREATE VIEW active_users AS SELECT * FROM users WHERE active;
                """);

            public override void Down() => Execute("ALTER TABLE users DROP COLUMN phone CASCADE");
        }
    }

    /// <summary>A trigger function replaced and its trigger re-created with another event list.</summary>
    public static class TriggerRecreated
    {
        [Migration(1)]
        public sealed class CreateDocuments : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE documents (id int PRIMARY KEY, body text, updated_at timestamptz);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                CREATE TRIGGER documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch();
                """);

            public override void Down() => Execute("DROP TABLE documents; DROP FUNCTION touch();");
        }

        [Migration(2)]
        public sealed class TouchOnlyOnBody : Migration
        {
            public override void Up() => Execute("""
                CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
                DROP TRIGGER documents_touch ON documents;
                CREATE TRIGGER documents_touch BEFORE INSERT OR UPDATE OF body ON documents FOR EACH ROW EXECUTE FUNCTION touch();
                """);

            public override void Down() => Execute("""
                CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                DROP TRIGGER documents_touch ON documents;
                CREATE TRIGGER documents_touch BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION touch();
                """);
        }

        /// <summary>The slip: the Down puts the function back and forgets the trigger it changed.</summary>
        [Migration(3)]
        public sealed class TouchAlsoOnDelete : Migration
        {
            public override void Up() => Execute("""
                DROP TRIGGER documents_touch ON documents;
                CREATE TRIGGER documents_touch BEFORE UPDATE ON documents FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body) EXECUTE FUNCTION touch();
                """);

            public override void Down() => Execute("SELECT 1");
        }
    }

    /// <summary>
    /// A sequence made by hand and owned by its column (what <c>serial</c> does, written out, as Rails' structure.sql
    /// has it); and a table renamed to a backup, replaced, then renamed back, with its primary key's index.
    /// </summary>
    public static class BackupTable
    {
        [Migration(1)]
        public sealed class CreateOrders : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE orders (id bigint NOT NULL, total numeric(12,2) NOT NULL);
                CREATE SEQUENCE orders_id_seq OWNED BY orders.id;
                ALTER TABLE orders ALTER COLUMN id SET DEFAULT nextval('orders_id_seq');
                ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
                INSERT INTO orders (total) VALUES (10), (20);
                """);

            public override void Down() => Execute("DROP TABLE orders");
        }

        [Migration(2)]
        public sealed class RebuildOrdersWithCurrency : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE orders RENAME TO orders_backup;
                ALTER INDEX orders_pkey RENAME TO orders_backup_pkey;
                CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL, currency char(3) NOT NULL DEFAULT 'EUR');
                INSERT INTO orders (id, total) SELECT id, total FROM orders_backup;
                """);

            public override void Down() => Execute("""
                DROP TABLE orders;
                ALTER TABLE orders_backup RENAME TO orders;
                ALTER INDEX orders_backup_pkey RENAME TO orders_pkey;
                """);
        }

        /// <summary>The slip: the table is renamed back, its primary key's index is not.</summary>
        [Migration(3)]
        public sealed class RebuildOrdersAgain : Migration
        {
            public override void Up() => Execute("""
                ALTER TABLE orders RENAME TO orders_old;
                ALTER INDEX orders_pkey RENAME TO orders_old_pkey;
                CREATE TABLE orders (LIKE orders_old INCLUDING ALL);
                INSERT INTO orders SELECT * FROM orders_old;
                """);

            public override void Down() => Execute("""
                DROP TABLE orders;
                ALTER TABLE orders_old RENAME TO orders;
                """);
        }
    }

    /// <summary>
    /// An enum value added in Up; PostgreSQL cannot drop one, so the Down rebuilds the type without it, as Rails and
    /// Django projects do (rename, create, convert the column, drop the old type).
    /// </summary>
    public static class EnumRebuiltInDown
    {
        [Migration(1)]
        public sealed class CreateTickets : Migration
        {
            public override void Up() => Execute("""
                CREATE TYPE ticket_state AS ENUM ('open', 'closed');
                CREATE TABLE tickets (id int PRIMARY KEY, state ticket_state NOT NULL DEFAULT 'open');
                """);

            public override void Down() => Execute("DROP TABLE tickets; DROP TYPE ticket_state;");
        }

        [Migration(2)]
        public sealed class AddArchived : Migration
        {
            public override void Up() => Execute("ALTER TYPE ticket_state ADD VALUE 'archived'");

            public override void Down() => Execute("""
                ALTER TYPE ticket_state RENAME TO ticket_state_old;
                CREATE TYPE ticket_state AS ENUM ('open', 'closed');
                ALTER TABLE tickets ALTER COLUMN state DROP DEFAULT;
                ALTER TABLE tickets ALTER COLUMN state TYPE ticket_state USING state::text::ticket_state;
                ALTER TABLE tickets ALTER COLUMN state SET DEFAULT 'open';
                DROP TYPE ticket_state_old;
                """);
        }
    }
}
