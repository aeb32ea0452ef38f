namespace CodeMigrations.TestHost.Sets.SlowNonTransactional;

/// <summary>Sleeps a minute without a transaction, then creates a table: a mark in flight for status to tell from a failed one.</summary>
[Migration(302, UseTransaction = false)]
public sealed class SleepWithoutTransaction : Migration
{
    public override void Up() => Execute("""
        SELECT pg_sleep(60);
        CREATE TABLE slow_nontransactional_effect (id int);
        """);

    public override void Down() => Execute("DROP TABLE slow_nontransactional_effect");
}
