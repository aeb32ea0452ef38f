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

/// <summary>The one-statement read of a health probe, on a real database, with names that need quoting.</summary>
public sealed class MigrationHistorySummaryTests
{
    private static readonly MigrationHistory Odd = new("we\"ird sch'ema", "hist'ory \"table\"");
    private static readonly MigrationInfo First = new(1, "First", typeof(MigrationHistorySummaryTests), UseTransaction: true);
    private static readonly MigrationInfo Second = new(2, "Second", typeof(MigrationHistorySummaryTests), UseTransaction: false);

    [Test]
    public async Task Without_the_table_the_summary_is_empty_and_nothing_is_created()
    {
        await using var connection = new Npgsql.NpgsqlConnection(await TestServer.CreateDatabaseAsync());
        await connection.OpenAsync();

        Assert.That(await Odd.ReadSummaryAsync(connection, CancellationToken.None), Is.Empty);
        Assert.That(await Odd.ExistsAsync(connection, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task The_summary_holds_each_rows_version_name_state_and_checksum_in_version_order()
    {
        await using var connection = new Npgsql.NpgsqlConnection(await TestServer.CreateDatabaseAsync());
        await connection.OpenAsync();
        await Odd.CreateIfMissingAsync(connection, CancellationToken.None);
        await Odd.MarkStartedAsync(connection, Second, MigrationDirection.Up, checksum: null, CancellationToken.None);
        await using (var command = Odd.RecordApplied(First, "abc").ToCommand(connection))
            await command.ExecuteNonQueryAsync();

        var rows = await Odd.ReadSummaryAsync(connection, CancellationToken.None);

        Assert.That(rows.Select(r => (r.Version, r.Name, r.ClassName, r.State, r.Checksum)), Is.EqualTo(new[]
        {
            (1L, "First", (string?)typeof(MigrationHistorySummaryTests).FullName, HistoryState.Applied, (string?)"abc"),
            (2L, "Second", typeof(MigrationHistorySummaryTests).FullName, HistoryState.UpIncomplete, null),
        }));
    }

    [Test]
    public void A_name_longer_than_postgresql_keeps_is_refused_naming_the_option()
    {
        var long64 = new string('h', 64);

        Assert.That(() => new MigrationHistory("public", long64), Throws.ArgumentException.With.Message.StartsWith($"HistoryTable '{long64}' is 64 bytes long"));
        Assert.That(() => new MigrationHistory("é" + new string('s', 62), "migration_history"), Throws.ArgumentException.With.Message.Contains("HistorySchema"));
        Assert.That(new MigrationHistory(new string('s', 63), new string('t', 63)).QualifiedName, Does.Contain(new string('t', 63)));
    }
}
