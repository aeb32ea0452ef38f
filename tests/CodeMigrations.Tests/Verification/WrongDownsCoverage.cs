namespace CodeMigrations.Tests.Verification;

/// <summary>
/// Sets of two migrations for what the snapshot covers beyond tables and types: a correct first one that creates the
/// shop (with a function, a trigger function for events and a foreign data wrapper to use), and a second one whose
/// Down forgets what its Up did. Each set is selected on its own with <c>TypeFilter = t => t.DeclaringType == set</c>.
/// </summary>
public static class WrongDownsCoverage
{
    public abstract class CreateShop : Migration
    {
        public override void Up() => Execute("""
            CREATE TYPE book_format AS ENUM ('hardcover', 'paperback');
            CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL, price numeric(10,2) NOT NULL);
            CREATE FUNCTION shop_version() RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE FUNCTION format_is(book_format, text) RETURNS boolean LANGUAGE sql AS 'SELECT $1::text = $2';
            CREATE FUNCTION shop_ddl_noop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
            CREATE FOREIGN DATA WRAPPER shop_fdw;
            CREATE SERVER shop_server FOREIGN DATA WRAPPER shop_fdw;
            CREATE USER MAPPING FOR PUBLIC SERVER shop_server OPTIONS (user 'shop');
            CREATE OPERATOR FAMILY shop_family USING hash;
            """);

        public override void Down() => Execute("""
            DROP OPERATOR FAMILY shop_family USING hash;
            DROP USER MAPPING FOR PUBLIC SERVER shop_server; DROP SERVER shop_server;
            DROP FOREIGN DATA WRAPPER shop_fdw;
            DROP FUNCTION shop_ddl_noop(); DROP FUNCTION format_is(book_format, text); DROP FUNCTION shop_version();
            DROP TABLE books; DROP TYPE book_format;
            """);
    }

    /// <summary>A migration whose Down does nothing: it forgets all its Up did.</summary>
    public abstract class Forgetful(string up) : Migration
    {
        public override void Up() => Execute(up);

        public override void Down() => Execute("SELECT 1");
    }

    /// <summary>Each case: the set, what its Up does, and the difference its Down leaves.</summary>
    public static IEnumerable<(Type Set, string Difference)> Cases =>
    [
        (typeof(ForgetsGrant), "privilege table books to pg_monitor exists but should not"),
        (typeof(ForgetsColumnGrant), "privilege column books.title to pg_monitor exists but should not"),
        (typeof(ForgetsRevoke), "privilege function shop_version() to PUBLIC exists but should not"),
        (typeof(ForgetsDefaultPrivileges), "default privileges for postgres in schema public on tables exists but should not"),
        (typeof(ForgetsOwner), "owner of table books differs: expected postgres, found pg_monitor"),
        (typeof(ForgetsIdentityOptions), "identity options of column books.id differs: expected start 1 increment 1 minimum 1 maximum 9223372036854775807 cache 1, found start 1 increment 10 minimum 1 maximum 9223372036854775807 cache 1"),
        (typeof(ForgetsReplicaIdentity), "replica identity of table books differs: expected none, found full"),
        (typeof(ForgetsStatisticsTarget), "statistics target of column books.title differs: expected none, found 500"),
        (typeof(ForgetsStorage), "storage of column books.title differs: expected none, found external"),
        (typeof(ForgetsStatistics), "statistics st_books exists but should not"),
        (typeof(ForgetsRule), "rule books.no_delete exists but should not"),
        (typeof(ForgetsCollation), "collation plain_c exists but should not"),
        (typeof(ForgetsCast), "cast public.book_format AS integer exists but should not"),
        (typeof(ForgetsOperator), "operator ===(public.book_format, text) exists but should not"),
        (typeof(ForgetsTextSearchConfiguration), "text search configuration books_fts exists but should not"),
        (typeof(ForgetsTextSearchDictionary), "text search dictionary books_simple exists but should not"),
        (typeof(ForgetsPublication), "publication books_pub exists but should not"),
        (typeof(ForgetsEventTrigger), "event trigger shop_ddl exists but should not"),
        (typeof(ForgetsForeignServer), "foreign server books_server exists but should not"),
        (typeof(ForgetsForeignDataWrapper), "foreign data wrapper books_fdw exists but should not"),
        (typeof(ForgetsUserMapping), "user mapping postgres server shop_server exists but should not"),
        (typeof(ForgetsUserMappingOption), "definition of user mapping PUBLIC server shop_server differs: expected OPTIONS user, found OPTIONS password, user"),
        (typeof(ForgetsOperatorClass), "operator class books_text_ops USING hash exists but should not"),
        (typeof(ForgetsOperatorFamily), "operator family books_family USING btree exists but should not"),
        (typeof(ForgetsOperatorFamilyMember), "definition of operator family shop_family USING hash differs: expected none, found FUNCTION 1 (text, text) hashtext(text)"),
    ];

    public static class ForgetsGrant
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeGrant() : Forgetful("GRANT SELECT ON books TO pg_monitor");
    }

    public static class ForgetsColumnGrant
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeColumnGrant() : Forgetful("GRANT UPDATE (title) ON books TO pg_monitor");
    }

    public static class ForgetsRevoke
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeRevoke() : Forgetful("REVOKE EXECUTE ON FUNCTION shop_version() FROM PUBLIC");
    }

    public static class ForgetsDefaultPrivileges
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeDefaultPrivileges() : Forgetful("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pg_monitor");
    }

    public static class ForgetsOwner
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeOwner() : Forgetful("ALTER TABLE books OWNER TO pg_monitor");
    }

    public static class ForgetsIdentityOptions
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeIdentityOptions() : Forgetful("ALTER TABLE books ALTER COLUMN id SET INCREMENT BY 10");
    }

    public static class ForgetsReplicaIdentity
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeReplicaIdentity() : Forgetful("ALTER TABLE books REPLICA IDENTITY FULL");
    }

    public static class ForgetsStatisticsTarget
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeStatisticsTarget() : Forgetful("ALTER TABLE books ALTER COLUMN title SET STATISTICS 500");
    }

    public static class ForgetsStorage
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeStorage() : Forgetful("ALTER TABLE books ALTER COLUMN title SET STORAGE EXTERNAL");
    }

    public static class ForgetsStatistics
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeStatistics() : Forgetful("CREATE STATISTICS st_books ON title, price FROM books");
    }

    public static class ForgetsRule
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeRule() : Forgetful("CREATE RULE no_delete AS ON DELETE TO books DO INSTEAD NOTHING");
    }

    public static class ForgetsCollation
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeCollation() : Forgetful("CREATE COLLATION plain_c (provider = libc, locale = 'C')");
    }

    public static class ForgetsCast
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeCast() : Forgetful("CREATE CAST (book_format AS integer) WITH INOUT");
    }

    public static class ForgetsOperator
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeOperator() : Forgetful("CREATE OPERATOR === (LEFTARG = book_format, RIGHTARG = text, FUNCTION = format_is)");
    }

    public static class ForgetsTextSearchConfiguration
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeTextSearchConfiguration() : Forgetful("CREATE TEXT SEARCH CONFIGURATION books_fts (COPY = english)");
    }

    public static class ForgetsTextSearchDictionary
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeTextSearchDictionary() : Forgetful("CREATE TEXT SEARCH DICTIONARY books_simple (TEMPLATE = simple)");
    }

    public static class ForgetsPublication
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangePublication() : Forgetful("CREATE PUBLICATION books_pub FOR TABLE books");
    }

    public static class ForgetsEventTrigger
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeEventTrigger() : Forgetful("CREATE EVENT TRIGGER shop_ddl ON ddl_command_start EXECUTE FUNCTION shop_ddl_noop()");
    }

    public static class ForgetsForeignServer
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeForeignServer() : Forgetful("CREATE SERVER books_server FOREIGN DATA WRAPPER shop_fdw OPTIONS (host 'example')");
    }

    public static class ForgetsForeignDataWrapper
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeForeignDataWrapper() : Forgetful("CREATE FOREIGN DATA WRAPPER books_fdw");
    }

    public static class ForgetsUserMapping
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeUserMapping() : Forgetful("CREATE USER MAPPING FOR postgres SERVER shop_server OPTIONS (user 'books', password 'secret')");
    }

    /// <summary>The user mapping keeps a password Up added: the option's name is compared, its value never printed.</summary>
    public static class ForgetsUserMappingOption
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeUserMappingOption() : Forgetful("ALTER USER MAPPING FOR PUBLIC SERVER shop_server OPTIONS (ADD password 'secret')");
    }

    public static class ForgetsOperatorClass
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeOperatorClass() : Forgetful("CREATE OPERATOR CLASS books_text_ops FOR TYPE text USING hash AS OPERATOR 1 =, FUNCTION 1 hashtext(text)");
    }

    public static class ForgetsOperatorFamily
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeOperatorFamily() : Forgetful("CREATE OPERATOR FAMILY books_family USING btree");
    }

    public static class ForgetsOperatorFamilyMember
    {
        [Migration(1)]
        public sealed class CreateShopTables : CreateShop;

        [Migration(2)]
        public sealed class ChangeOperatorFamilyMember() : Forgetful("ALTER OPERATOR FAMILY shop_family USING hash ADD FUNCTION 1 (text, text) hashtext(text)");
    }
}
