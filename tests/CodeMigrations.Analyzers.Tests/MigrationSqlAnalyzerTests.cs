using static CodeMigrations.Analyzers.Tests.AnalyzerTest;

namespace CodeMigrations.Analyzers.Tests;

public sealed class MigrationSqlAnalyzerTests
{
    [Test]
    public Task Concurrently_in_a_transactional_migration_is_an_error() => VerifyAsync<MigrationSqlAnalyzer>("""
        [Migration(1)]
        public sealed class IndexUsers : Migration
        {
            private const string Table = "users";
            public override void Up() => Execute({|#0:"CREATE INDEX CONCURRENTLY ix_users_name ON " + Table + " (name)"|});
            public override void Down() => Execute({|#1:"DROP INDEX CONCURRENTLY ix_users_name"|});
        }
        """,
        Diagnostic("CM0005").WithLocation(0).WithArguments("IndexUsers", "CREATE INDEX CONCURRENTLY"),
        Diagnostic("CM0005").WithLocation(1).WithArguments("IndexUsers", "DROP INDEX CONCURRENTLY"));

    [Test]
    public Task Concurrently_in_a_migration_without_a_transaction_is_fine() => VerifyAsync<MigrationSqlAnalyzer>("""
        [Migration(1, UseTransaction = false)]
        public sealed class IndexUsers : Migration
        {
            public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_users_name ON users (name)");
            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_users_name");
        }
        """);

    [Test]
    public Task Lint_rules_warn_on_constant_sql_of_up_with_the_rule_id() => VerifyAsync<MigrationSqlAnalyzer>("""
        [Migration(1)]
        public sealed class Risky : Migration
        {
            public override void Up()
            {
                Execute({|#0:"CREATE INDEX ix_users_name ON users (name)"|});
                Execute({|#1:"ALTER TABLE users DROP COLUMN legacy"|});
            }

            public override void Down() => Execute("UPDATE users SET name = 'x'");
        }
        """,
        Warning("CM1004").WithLocation(0).WithMessage("create-index-non-concurrently: Creating an index without CONCURRENTLY (table users) blocks every write to the table (SHARE lock) while the index is built. Instead: CREATE INDEX CONCURRENTLY in a migration marked [Migration(..., UseTransaction = false)]."),
        Warning("CM1014").WithLocation(1));

    [Test]
    public Task Allow_unsafe_suppresses_a_rule_and_tables_created_earlier_in_up_are_new() => VerifyAsync<MigrationSqlAnalyzer>("""
        [Migration(1)]
        [AllowUnsafe("dropping-column", "nothing reads legacy since release 3")]
        public sealed class Careful : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE orders (id bigint, total numeric(10, 2))");
                Execute("CREATE INDEX ix_orders_total ON orders (total)");
                Execute("ALTER TABLE users DROP COLUMN legacy");
            }

            public override void Down() => Execute("DROP TABLE orders");
        }
        """);
}
