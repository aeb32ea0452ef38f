using static CodeMigrations.Analyzers.Tests.AnalyzerTest;

namespace CodeMigrations.Analyzers.Tests;

public sealed class CodeFixTests
{
    [Test]
    public Task Concurrently_is_fixed_by_running_the_migration_without_a_transaction() =>
        VerifyFixAsync<MigrationSqlAnalyzer, UseTransactionFalseFix>("""
            [Migration(1, Description = "index users")]
            public sealed class IndexUsers : Migration
            {
                public override void Up() => Execute({|#0:"CREATE INDEX CONCURRENTLY ix_users_name ON users (name)"|});
                public override void Down() => Execute("DROP INDEX ix_users_name");
            }
            """, """
            [Migration(1, Description = "index users", UseTransaction = false)]
            public sealed class IndexUsers : Migration
            {
                public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_users_name ON users (name)");
                public override void Down() => Execute("DROP INDEX ix_users_name");
            }
            """, Diagnostic("CM0005").WithLocation(0).WithArguments("IndexUsers", "CREATE INDEX CONCURRENTLY"));

    [Test]
    public Task An_explicit_use_transaction_true_is_turned_to_false() =>
        VerifyFixAsync<MigrationSqlAnalyzer, UseTransactionFalseFix>("""
            [Migration(1, UseTransaction = true)]
            public sealed class Vacuum : Migration
            {
                public override void Up() => Execute({|#0:"VACUUM ANALYZE"|});
                public override void Down() => Execute("SELECT 1");
            }
            """, """
            [Migration(1, UseTransaction = false)]
            public sealed class Vacuum : Migration
            {
                public override void Up() => Execute("VACUUM ANALYZE");
                public override void Down() => Execute("SELECT 1");
            }
            """, Diagnostic("CM0005").WithLocation(0).WithArguments("Vacuum", "VACUUM"));

    [Test]
    public Task An_empty_down_is_fixed_by_marking_the_migration_irreversible() =>
        VerifyFixAsync<MigrationClassAnalyzer, IrreversibleFix>("""
            [Migration(1)]
            public sealed class Lossy : Migration
            {
                public override void Up() => Execute("SELECT 1");
                public override void {|#0:Down|}()
                {
                }
            }
            """, """
            [Migration(1)]
            [Irreversible("TODO: why this migration cannot be reverted")]
            public sealed class Lossy : Migration
            {
                public override void Up() => Execute("SELECT 1");
                public override void Down()
                {
                }
            }
            """, Warning("CM0006").WithLocation(0).WithArguments("Lossy"));
}
