using static CodeMigrations.Analyzers.Tests.AnalyzerTest;

namespace CodeMigrations.Analyzers.Tests;

public sealed class MigrationClassAnalyzerTests
{
    [Test]
    public Task A_well_formed_migration_has_no_diagnostic() => VerifyAsync<MigrationClassAnalyzer>("""
        [Migration(1)]
        public sealed class CreateUsers : Migration
        {
            public override void Up() => Execute("CREATE TABLE users (id int)");
            public override void Down() => Execute("DROP TABLE users");
        }

        public abstract class BaseMigration : Migration
        {
        }
        """);

    [Test]
    public Task Two_migrations_with_one_version_are_an_error_naming_both() => VerifyAsync<MigrationClassAnalyzer>("""
        [Migration(7)]
        public sealed class {|#0:First|} : Migration
        {
            public override void Up() => Execute("SELECT 1");
            public override void Down() => Execute("SELECT 1");
        }

        [Migration(7)]
        public sealed class {|#1:Second|} : Migration
        {
            public override void Up() => Execute("SELECT 1");
            public override void Down() => Execute("SELECT 1");
        }
        """,
        Diagnostic("CM0001").WithLocation(0).WithArguments("First", "Second", 7L),
        Diagnostic("CM0001").WithLocation(1).WithArguments("Second", "First", 7L));

    [Test]
    public Task A_concrete_migration_without_the_attribute_is_an_error() => VerifyAsync<MigrationClassAnalyzer>("""
        public sealed class {|#0:Forgotten|} : Migration
        {
            public override void Up() => Execute("SELECT 1");
            public override void Down() => Execute("SELECT 1");
        }
        """, Diagnostic("CM0002").WithLocation(0).WithArguments("Forgotten"));

    [Test]
    public Task The_attribute_on_a_type_that_is_not_a_concrete_migration_is_an_error() => VerifyAsync<MigrationClassAnalyzer>("""
        [{|#0:Migration(1)|}]
        public sealed class NotAMigration
        {
        }

        [{|#1:Migration(2)|}]
        public abstract class AbstractOne : Migration
        {
        }
        """,
        Diagnostic("CM0003").WithLocation(0).WithArguments("NotAMigration", "not derived from CodeMigrations.Migration"),
        Diagnostic("CM0003").WithLocation(1).WithArguments("AbstractOne", "abstract"));

    [Test]
    public Task A_version_that_is_not_positive_is_an_error() => VerifyAsync<MigrationClassAnalyzer>("""
        [{|#0:Migration(0)|}]
        public sealed class Zero : Migration
        {
            public override void Up() => Execute("SELECT 1");
            public override void Down() => Execute("SELECT 1");
        }
        """, Diagnostic("CM0004").WithLocation(0).WithArguments("Zero", 0L));

    [Test]
    public Task An_empty_down_is_a_warning_unless_the_migration_is_irreversible() => VerifyAsync<MigrationClassAnalyzer>("""
        [Migration(1)]
        public sealed class Lossy : Migration
        {
            public override void Up() => Execute("DROP TABLE legacy");
            public override void {|#0:Down|}()
            {
            }
        }

        [Migration(2)]
        [Irreversible("drops legacy data")]
        public sealed class Marked : Migration
        {
            public override void Up() => Execute("DROP TABLE legacy2");
            public override void Down()
            {
            }
        }
        """, Warning("CM0006").WithLocation(0).WithArguments("Lossy"));
}
