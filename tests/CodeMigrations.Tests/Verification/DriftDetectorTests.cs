using CodeMigrations.Schema;
using CodeMigrations.Tests.Running;
using CodeMigrations.Verification;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class DriftDetectorTests
{
    [Test]
    public async Task A_database_migrated_and_left_alone_has_no_drift()
    {
        await using var target = await MigratedAsync();

        var report = await DetectAsync(target);

        Assert.That(report.Differences, Is.Empty);
        Assert.That(report.HasDrift, Is.False);
        Assert.That(report.AppliedVersions, Has.Count.EqualTo(8));
        Assert.That(report.Notes, Is.Empty);
        Assert.That(report.ToString(), Is.EqualTo("No drift: the schema is what the 8 applied migrations produce"));
    }

    [Test]
    public async Task A_column_added_by_hand_is_reported_as_in_the_database_only()
    {
        await using var target = await MigratedAsync();
        await ExecuteAsync(target, "ALTER TABLE books ADD COLUMN notes text");

        var report = await DetectAsync(target);

        Assert.That(report.Lines, Is.EqualTo(new[] { "column books.notes is in the database, but the migrations do not create it" }));
        Assert.That(report.InDatabaseOnly.Single(), Is.EqualTo(new SchemaDifference(SchemaDifferenceKind.Unexpected, SchemaObjectKind.Column, "books.notes")));
        Assert.That(report.HasDrift, Is.True);
    }

    [Test]
    public async Task An_index_dropped_by_hand_is_reported_as_in_the_migrations_only()
    {
        await using var target = await MigratedAsync();
        await ExecuteAsync(target, "DROP INDEX ix_books_title");

        var report = await DetectAsync(target);

        Assert.That(report.Lines, Is.EqualTo(new[] { "index ix_books_title is missing from the database, but the migrations create it" }));
        Assert.That(report.InMigrationsOnly, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Changes_by_hand_are_all_reported_both_ways()
    {
        await using var target = await MigratedAsync();
        await ExecuteAsync(target, """
            ALTER TABLE books ADD COLUMN notes text;
            DROP INDEX ix_books_title;
            ALTER TABLE books ALTER COLUMN price SET DEFAULT 5;
            """);

        var report = await DetectAsync(target);

        Assert.That(report.Lines, Is.EqualTo(new[]
        {
            "column books.notes is in the database, but the migrations do not create it",
            "default of column books.price differs: the migrations give 0, the database has 5",
            "index ix_books_title is missing from the database, but the migrations create it",
        }));
        Assert.That(report.ToString(), Is.EqualTo("Drift: 3 differences between the database and what its 8 applied migrations produce"));
    }

    [Test]
    public async Task Only_the_migrations_the_history_lists_as_applied_make_the_expected_schema()
    {
        await using var target = await TestRunner.CreateAsync(typeof(Bookstore));
        await target.Runner.UpAsync(target: 20240101000003);

        var report = await DetectAsync(target);

        Assert.That(report.Differences, Is.Empty);
        Assert.That(report.AppliedVersions, Is.EqualTo(new long[] { 20240101000001, 20240101000002, 20240101000003 }));
    }

    [Test]
    public async Task A_history_table_in_its_own_schema_is_not_drift()
    {
        await using var target = await TestRunner.CreateAsync(typeof(Bookstore), o => o.HistorySchema = "ops");
        await target.Runner.UpAsync();

        var report = await new DriftDetector(Options(target.ConnectionString, o => o.HistorySchema = "ops")).DetectAsync();

        Assert.That(report.Differences, Is.Empty);
    }

    [Test]
    public async Task An_applied_version_without_a_class_is_noted_and_what_it_created_shows_as_drift()
    {
        await using var target = await MigratedAsync();
        var withoutOrders = Options(target.ConnectionString, o => o.TypeFilter = t => t.DeclaringType == typeof(Bookstore) && t != typeof(Bookstore.CreateOrders));

        var report = await new DriftDetector(withoutOrders).DetectAsync();

        Assert.That(report.Notes, Has.Some.StartsWith("Version 20240101000006 (CodeMigrations.Tests.Verification.Bookstore+CreateOrders) is applied, but no migration class has that version"));
        Assert.That(report.Lines, Is.EqualTo(new[]
        {
            "sequence order_number is in the database, but the migrations do not create it",
            "table orders is in the database, but the migrations do not create it",
        }));
    }

    [Test]
    public async Task A_scratch_database_given_is_used_and_left_as_found()
    {
        await using var target = await MigratedAsync();
        var scratch = await TestServer.CreateDatabaseAsync();

        var report = await DetectAsync(target, new DriftOptions { ScratchConnectionString = scratch });

        Assert.That(report.Differences, Is.Empty);
        Assert.That(report.ScratchDatabase, Is.EqualTo(new NpgsqlConnectionStringBuilder(scratch).Database));
        await using var connection = new NpgsqlConnection(scratch);
        await connection.OpenAsync();
        var left = await SchemaSnapshot.CaptureAsync(connection);
        Assert.That(left.Objects.Where(o => o.Kind is not (SchemaObjectKind.Schema or SchemaObjectKind.Extension)), Is.Empty);
    }

    private static async Task<TestRunner> MigratedAsync()
    {
        var runner = await TestRunner.CreateAsync(typeof(Bookstore));
        await runner.Runner.UpAsync();
        return runner;
    }

    private static CodeMigrationsOptions Options(string connectionString, Action<CodeMigrationsOptions>? configure = null)
    {
        var options = MigrationVerifierTests.Options(typeof(Bookstore), connectionString);
        configure?.Invoke(options);
        return options;
    }

    private static Task<DriftReport> DetectAsync(TestRunner target, DriftOptions? options = null) =>
        new DriftDetector(Options(target.ConnectionString)).DetectAsync(options);

    private static async Task ExecuteAsync(TestRunner target, string sql)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.ExecuteAsync(sql);
    }
}
