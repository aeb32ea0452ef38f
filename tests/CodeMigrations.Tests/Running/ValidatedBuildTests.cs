using CodeMigrations.History;

namespace CodeMigrations.Tests.Running;

/// <summary>
/// A no-op <c>up</c> by the build that was last checked against the history creates no migration; any other build, or any
/// change to the history, checks every applied migration as before.
/// </summary>
[NonParallelizable]
public sealed class ValidatedBuildTests
{
    private const string Record = "public." + MigrationHistory.ValidatedBuildTable;

    /// <summary>Counts the migrations created; the second one's Up holds <see cref="Variant"/>, to change it between runs.</summary>
    public static class Counted
    {
        public static int Constructed;

        public static int Variant = 1;

        [Migration(1)]
        public sealed class First : Migration
        {
            public First() => Interlocked.Increment(ref Constructed);

            public override void Up() => Execute("CREATE TABLE counted (id int)");

            public override void Down() => Execute("DROP TABLE counted");
        }

        [Migration(2)]
        public sealed class Second : Migration
        {
            public Second() => Interlocked.Increment(ref Constructed);

            public override void Up() => Execute($"INSERT INTO counted VALUES ({Variant})");

            public override void Down() => Execute("DELETE FROM counted");
        }

        [Migration(3)]
        public sealed class Third : Migration
        {
            public Third() => Interlocked.Increment(ref Constructed);

            public override void Up() => Execute("SELECT 1");

            public override void Down() => Execute("SELECT 1");
        }
    }

    [SetUp]
    public void Reset()
    {
        Counted.Constructed = 0;
        Counted.Variant = 1;
    }

    [Test]
    public async Task A_no_op_up_by_the_build_last_checked_creates_no_migration_while_validate_still_compares_every_one()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted));
        await test.Runner.UpAsync();
        Counted.Constructed = 0;

        var again = await test.Runner.UpAsync();

        Assert.That(again.Migrations, Is.Empty);
        Assert.That(Counted.Constructed, Is.Zero, "no applied migration created to compare its checksum");

        Assert.That(await test.Runner.ValidateAsync(), Is.Empty);
        Assert.That(Counted.Constructed, Is.EqualTo(3), "validate compares everything");
    }

    [Test]
    public async Task An_applied_migration_whose_up_changed_is_refused_when_the_record_names_another_build()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted));
        await test.Runner.UpAsync();
        Counted.Variant = 2;
        // What a rebuilt assembly looks like to the record: another identity than the one checked last.
        await test.QueryScalarAsync<int>($"UPDATE {Record} SET build = 'an older build'");

        var error = await Assert.ThrowsAsync<MigrationValidationException>(() => test.Runner.UpAsync());

        Assert.That(error!.Findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[] { (2L, MigrationValidationProblem.ChecksumMismatch) }));
    }

    [Test]
    public async Task A_change_to_the_history_voids_the_record_and_every_applied_migration_is_checked_again()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted));
        await test.Runner.UpAsync();
        await test.QueryScalarAsync<int>("UPDATE public.migration_history SET checksum = 'edited by hand' WHERE version = 3");

        var error = await Assert.ThrowsAsync<MigrationValidationException>(() => test.Runner.UpAsync());

        Assert.That(error!.Findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[] { (3L, MigrationValidationProblem.ChecksumMismatch) }));
    }

    [Test]
    public async Task A_database_without_the_record_table_checks_everything_once_and_records_the_build()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted));
        await test.Runner.UpAsync();
        await test.QueryScalarAsync<int>($"DROP TABLE {Record}");
        Counted.Constructed = 0;

        await test.Runner.UpAsync();
        Assert.That(Counted.Constructed, Is.EqualTo(3), "no record: every applied migration checked");
        Counted.Constructed = 0;

        await test.Runner.UpAsync();
        Assert.That(Counted.Constructed, Is.Zero, "recorded again by the run before");
    }

    [Test]
    public async Task The_record_is_no_part_of_the_schema_a_snapshot_compares()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted));
        await test.Runner.UpAsync();
        await using var connection = new Npgsql.NpgsqlConnection(test.ConnectionString);
        await connection.OpenAsync();

        var snapshot = await CodeMigrations.Schema.SchemaSnapshot.CaptureAsync(connection);

        Assert.That(await test.QueryScalarAsync<bool>($"SELECT to_regclass('{Record}') IS NOT NULL"), Is.True);
        Assert.That(snapshot.ToText(), Does.Contain("counted").And.Not.Contain(MigrationHistory.ValidatedBuildTable));
    }

    [Test]
    public async Task Turning_off_the_checksum_check_writes_no_record()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted), o => o.ValidateChecksumsOnUp = false);

        await test.Runner.UpAsync();

        Assert.That(await test.QueryScalarAsync<bool>($"SELECT to_regclass('{Record}') IS NOT NULL"), Is.False);
    }
}
