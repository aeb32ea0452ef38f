using CodeMigrations.History;

namespace CodeMigrations.Tests.History;

public sealed class MigrationHistoryTests
{
    private static readonly MigrationHistory History = new("ops", "my \"history\"");
    private static readonly MigrationInfo Quoted = new(7, "it's here", typeof(MigrationHistoryTests), UseTransaction: true);

    [Test]
    public void A_script_prints_the_statement_a_run_sends_with_its_values_as_literals()
    {
        var statement = History.RecordApplied(Quoted, "abc");

        Assert.That(statement.ToBatchCommand().CommandText, Does.Contain("VALUES ($1, $2, $3, now(), round(extract(epoch FROM clock_timestamp() - now()) * 1000), $4, 'applied')"));
        Assert.That(statement.ToScript(), Is.EqualTo(
            "INSERT INTO \"ops\".\"my \"\"history\"\"\" (version, name, class_name, applied_at, execution_ms, checksum, state) " +
            $"VALUES (7, 'it''s here', '{typeof(MigrationHistoryTests).FullName}', now(), round(extract(epoch FROM clock_timestamp() - now()) * 1000), 'abc', 'applied')"));
    }

    [Test]
    public void Completing_a_migration_without_a_transaction_records_how_long_it_took_since_its_mark() =>
        Assert.That(History.MarkCompleted(7, MigrationDirection.Up).ToScript(), Is.EqualTo(
            "UPDATE \"ops\".\"my \"\"history\"\"\" SET state = 'applied', error = NULL, " +
            "execution_ms = round(extract(epoch FROM clock_timestamp() - applied_at) * 1000) WHERE version = 7"));

    [Test]
    public void A_missing_value_is_rendered_as_null() =>
        Assert.That(History.MarkStarted(Quoted, MigrationDirection.Up, checksum: null).ToScript(), Does.EndWith("now(), NULL, 'up_incomplete')"));
}
