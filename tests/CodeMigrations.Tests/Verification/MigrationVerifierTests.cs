using CodeMigrations.Schema;
using CodeMigrations.Testing;
using CodeMigrations.Tests.Running;
using CodeMigrations.Verification;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class MigrationVerifierTests
{
    private static IEnumerable<TestCaseData> WrongDownCases()
    {
        TestCaseData Case(Type set, string migration, string difference, string name) =>
            new TestCaseData(set, migration, difference).SetName(name);

        yield return Case(typeof(WrongDowns.ForgetsIndex), "IndexBooks", "index ix_books_title exists but should not",
            "A_down_that_forgets_an_index_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsColumn), "AddIsbnAndSubtitle", "column books.isbn exists but should not",
            "A_down_that_forgets_a_column_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsForeignKey), "LinkBooksToAuthors", "foreign key books.fk_books_author exists but should not",
            "A_down_that_forgets_a_foreign_key_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsDefault), "AddCurrencyAndFreeBooks", "default of column books.price differs: expected none, found 0",
            "A_down_that_forgets_a_default_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsCheckConstraint), "ValidateBooks", "check constraint books.ck_books_price exists but should not",
            "A_down_that_forgets_a_check_constraint_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsView), "CreateCheapBooks", "view cheap_books exists but should not",
            "A_down_that_forgets_a_view_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsFunction), "CreateBookStats", "function book_count() exists but should not",
            "A_down_that_forgets_a_function_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsEnumValue), "AddEbookFormat", "enum value book_format.'ebook' exists but should not",
            "A_down_that_forgets_an_enum_value_is_caught");
        yield return Case(typeof(WrongDowns.ForgetsSequence), "NumberInvoices", "sequence invoice_number exists but should not",
            "A_down_that_forgets_a_sequence_is_caught");
    }

    [Test]
    public async Task Migrations_with_correct_downs_pass()
    {
        var result = await VerifyAsync(typeof(Bookstore));

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(Enumerable.Repeat(MigrationVerificationOutcome.Ok, 8)));
        Assert.That(result.NotVerified, Is.Empty);
        Assert.That(result.ToString(), Does.StartWith("Verified 8 migrations in ").And.EndWith(": all ok"));
        Assert.That(result.Migrations[0].ToString(), Does.Match(@"^20240101000001 CreateAuthors: ok \(\d+ ms\)$"));
        await TestContext.Progress.WriteLineAsync($"verify, {result.Migrations.Count} bookstore migrations: {result.Duration.TotalMilliseconds:0} ms");
    }

    [TestCaseSource(nameof(WrongDownCases))]
    public async Task A_wrong_down_is_caught_with_a_precise_message(Type set, string migration, string difference)
    {
        var result = await VerifyAsync(set);

        var verification = result.Migrations.Single(m => m.Migration.Version == 2);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Migrations[0].Outcome, Is.EqualTo(MigrationVerificationOutcome.Ok));
        Assert.That(verification.DownDifferences.Select(d => d.ToString()), Is.EqualTo(new[] { difference }));
        Assert.That(result.Problems[0].ToString(), Is.EqualTo($"Migration 2 {migration}: Down does not restore the schema from before Up: {difference}."));
        Assert.That(result.Problems[0].Outcome, Is.EqualTo(MigrationVerificationOutcome.DownLeavesDifferences));
        Assert.That(result.Problems[0].Migration, Is.EqualTo(verification.Migration));
    }

    [Test]
    public async Task A_down_that_fails_is_reported_and_the_next_migration_is_still_verified()
    {
        var result = await VerifyAsync(typeof(WrongDowns.FailingDown));

        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[]
        {
            MigrationVerificationOutcome.Ok, MigrationVerificationOutcome.DownFailed, MigrationVerificationOutcome.Ok,
        }));
        Assert.That(result.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "Migration 2 AddIsbn: Down failed: at step 1 of 1 (SQL: ALTER TABLE book DROP COLUMN isbn): " +
            "42P01: relation \"book\" does not exist",
        }));
    }

    [Test]
    public async Task An_up_that_cannot_run_again_after_its_down_is_reported_and_the_next_migration_is_still_verified()
    {
        var result = await VerifyAsync(typeof(WrongDowns.UpCannotRunAgain));

        var seed = result.Migrations[1];
        Assert.That(seed.Outcome, Is.EqualTo(MigrationVerificationOutcome.UpFailedAfterDown));
        Assert.That(seed.DownDifferences, Is.Empty, "the schema after Down is right: only the row is left behind");
        Assert.That(result.Problems[0].ToString(), Does.StartWith(
            "Migration 2 SeedTheme: Up failed when applied again after Down: at step 1 of 1 (SQL: INSERT INTO settings (key, value) VALUES ('theme', 'dark')): " +
            "23505: duplicate key value violates unique constraint \"settings_pkey\""));
        Assert.That(result.NotVerified, Is.Empty);
        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[]
        {
            MigrationVerificationOutcome.Ok, MigrationVerificationOutcome.UpFailedAfterDown, MigrationVerificationOutcome.Ok,
        }));
        Assert.That(result.Problems, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_up_that_fails_stops_verification_and_the_later_migrations_are_listed_as_not_verified()
    {
        var result = await VerifyAsync(typeof(WrongDowns.FailingUp));

        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[] { MigrationVerificationOutcome.Ok, MigrationVerificationOutcome.UpFailed }));
        Assert.That(result.NotVerified.Select(m => m.Version), Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(result.Problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "Migration 2 AddIsbn: Up failed: at step 1 of 1 (SQL: ALTER TABLE book ADD COLUMN isbn text): " +
            "42P01: relation \"book\" does not exist",
            "2 migrations were not verified because verification stopped after migration 2 AddIsbn failed: 3 IndexIsbn, 4 AddSubtitle.",
        }));
    }

    [Test]
    public async Task Migrations_are_verified_with_the_timeouts_they_run_with()
    {
        var result = await VerifyAsync(typeof(WrongDowns.TooSlow));

        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[] { MigrationVerificationOutcome.UpFailed }));
        Assert.That(result.Problems.Single().ToString(), Does.EndWith("57014: canceling statement due to statement timeout"));
    }

    [Test]
    public async Task An_irreversible_migration_is_applied_without_its_down_and_the_next_ones_are_verified()
    {
        var result = await VerifyAsync(typeof(WrongDowns.WithIrreversible));

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(new[]
        {
            MigrationVerificationOutcome.Ok, MigrationVerificationOutcome.Irreversible, MigrationVerificationOutcome.Ok,
        }));
        Assert.That(result.Migrations[1].ToString(), Does.Contain("irreversible, Down not verified (drops the legacy price column and its data)"));
    }

    [Test]
    public async Task The_scratch_database_is_created_on_the_target_server_and_dropped_afterwards()
    {
        var target = await TestServer.CreateDatabaseAsync();
        var targetName = new NpgsqlConnectionStringBuilder(target).Database!;

        var result = await VerifyAsync(typeof(Bookstore), connectionString: target);

        Assert.That(result.ScratchDatabase, Does.Match($"^{targetName}_verify_[0-9a-f]{{8}}$"));
        Assert.That(await DatabasesLikeAsync(targetName + "_verify_%"), Is.Empty);
        Assert.That(await TableCountAsync(target), Is.Zero, "the target database is never touched");
    }

    [Test]
    public async Task The_scratch_database_is_dropped_even_when_the_run_is_cancelled()
    {
        var target = await TestServer.CreateDatabaseAsync();
        var targetName = new NpgsqlConnectionStringBuilder(target).Database!;
        using var cancellation = new CancellationTokenSource();
        var verifier = new MigrationVerifier(Options(typeof(Bookstore), target));

        Assert.That(async () => await verifier.VerifyAsync(new VerificationOptions { Progress = new Progress(_ => cancellation.Cancel()) }, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());

        Assert.That(await DatabasesLikeAsync(targetName + "_verify_%"), Is.Empty);
    }

    [Test]
    public async Task A_scratch_database_given_is_used_as_it_is_kept_and_left_as_found()
    {
        var scratch = await TestServer.CreateDatabaseAsync();
        var seen = new List<string>();

        var result = await VerifyAsync(typeof(Bookstore), new VerificationOptions
        {
            ScratchConnectionString = scratch,
            Progress = new Progress(m => seen.Add(m.ToString())),
        });

        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ScratchDatabase, Is.EqualTo(new NpgsqlConnectionStringBuilder(scratch).Database));
        Assert.That(result.Notes, Is.Empty);
        Assert.That(seen, Has.Count.EqualTo(8));
        Assert.That(await TableCountAsync(scratch), Is.Zero, "every migration was reverted at the end");
    }

    [Test]
    public async Task A_scratch_database_that_holds_the_history_table_is_refused()
    {
        await using var migrated = await TestRunner.CreateAsync(typeof(Bookstore));
        await migrated.Runner.UpAsync();

        Assert.That(async () => await VerifyAsync(typeof(Bookstore), new VerificationOptions { ScratchConnectionString = migrated.ConnectionString }),
            Throws.InstanceOf<MigrationException>().With.Message.Contains("holds the history table \"public\".\"migration_history\": it is a migrated database"));
        Assert.That(await migrated.AppliedVersionsAsync(), Has.Length.EqualTo(8), "nothing was reverted");
    }

    [Test]
    public void An_invalid_migration_set_is_refused_before_a_database_is_touched()
    {
        var options = new CodeMigrationsOptions { ConnectionString = "Host=nowhere.invalid" };
        options.Assemblies.Add(typeof(Bookstore).Assembly);
        options.TypeFilter = t => t == typeof(Bookstore.CreateAuthors) || t == typeof(WrongDowns.ForgetsIndex.IndexBooks) || t == typeof(WrongDowns.ForgetsView.CreateCheapBooks);

        Assert.That(async () => await new MigrationVerifier(options).VerifyAsync(), Throws.InstanceOf<InvalidMigrationSetException>());
    }

    [Test]
    public async Task Verification_through_dependency_injection_creates_migrations_with_their_services()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new TableName("gadgets"));
        services.AddCodeMigrations(o =>
        {
            o.ConnectionString = TestServer.Server.ConnectionString;
            o.Assemblies.Add(typeof(WithServices).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(WithServices);
        });
        services.AddCodeMigrationsVerification();
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var result = await provider.GetRequiredService<MigrationVerifier>().VerifyAsync();

        Assert.That(result.Succeeded, Is.True, string.Join("; ", result.Problems));
        Assert.That(provider.GetRequiredService<DriftDetector>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<SchemaReader>(), Is.Not.Null);
    }

    [Test]
    public async Task The_testing_kit_returns_no_problem_for_correct_migrations_and_one_sentence_per_problem_otherwise()
    {
        Assert.That(await ReversibilityCheck.FindProblemsAsync(TestServer.Server, t => t.DeclaringType == typeof(Bookstore), typeof(Bookstore).Assembly), Is.Empty);

        var problems = await ReversibilityCheck.FindProblemsAsync(TestServer.Server, o =>
        {
            o.Assemblies.Add(typeof(WrongDowns).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(WrongDowns.ForgetsDefault);
        });

        Assert.That(problems.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "Migration 2 AddCurrencyAndFreeBooks: Down does not restore the schema from before Up: default of column books.price differs: expected none, found 0.",
        }));
    }

    [Test]
    public async Task Two_hundred_generated_migrations_verify_clean_in_one_run()
    {
        var result = await VerifyAsync(typeof(Generated200));

        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Migrations, Has.Count.EqualTo(200));
        await TestContext.Progress.WriteLineAsync($"verify, 200 generated migrations: {result.Duration.TotalMilliseconds:0} ms");
    }

    internal static CodeMigrationsOptions Options(Type set, string? connectionString = null)
    {
        var options = new CodeMigrationsOptions { ConnectionString = connectionString ?? TestServer.Server.ConnectionString };
        options.Assemblies.Add(set.Assembly);
        options.TypeFilter = t => t.DeclaringType == set;
        return options;
    }

    private static Task<VerificationResult> VerifyAsync(Type set, VerificationOptions? options = null, string? connectionString = null) =>
        new MigrationVerifier(Options(set, connectionString)).VerifyAsync(options);

    private static async Task<IReadOnlyList<string>> DatabasesLikeAsync(string pattern)
    {
        await using var connection = new NpgsqlConnection(TestServer.Server.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT datname FROM pg_database WHERE datname LIKE @pattern", new { pattern })).AsList();
    }

    private static async Task<long> TableCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");
    }

    /// <summary>Reports synchronously, on the verifier's own flow (System.Progress posts to the thread pool).</summary>
    private sealed class Progress(Action<MigrationVerification> report) : IProgress<MigrationVerification>
    {
        public void Report(MigrationVerification value) => report(value);
    }

    public sealed record TableName(string Value);

    public static class WithServices
    {
        [Migration(1)]
        public sealed class CreateConfiguredTable(TableName table) : Migration
        {
            public override void Up() => Execute($"CREATE TABLE {table.Value} (id int PRIMARY KEY)");

            public override void Down() => Execute($"DROP TABLE {table.Value}");
        }
    }
}
