using System.Diagnostics;
using CodeMigrations.Testing;
using CodeMigrations.Tests.Running;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.Safety;

public sealed class SafetyTests
{
    public static class Original
    {
        [Migration(1)]
        public sealed class CreateItems : Migration
        {
            public override void Up() => Execute("CREATE TABLE items (id int)");

            public override void Down() => Execute("DROP TABLE items");
        }

        [Migration(3)]
        public sealed class AddName : Migration
        {
            public override void Up() => Execute("ALTER TABLE items ADD COLUMN name text");

            public override void Down() => Execute("ALTER TABLE items DROP COLUMN name");
        }
    }

    /// <summary>The same history, after someone edited migration 1 and a branch added migration 2.</summary>
    public static class Edited
    {
        [Migration(1)]
        public sealed class CreateItems : Migration
        {
            public override void Up() => Execute("CREATE TABLE items (id bigint)");

            public override void Down() => Execute("DROP TABLE items");
        }

        [Migration(2)]
        public sealed class AddIndex : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_items_id ON items (id)");

            public override void Down() => Execute("DROP INDEX ix_items_id");
        }

        [Migration(3)]
        public sealed class AddName : Migration
        {
            public override void Up() => Execute("ALTER TABLE items ADD COLUMN name text");

            public override void Down() => Execute("ALTER TABLE items DROP COLUMN name");
        }
    }

    /// <summary>Only the formatting of migration 1 changed, and migration 2 is out of order.</summary>
    public static class Reformatted
    {
        [Migration(1)]
        public sealed class CreateItems : Migration
        {
            public override void Up() => Execute("CREATE TABLE items (id int)   \r\n");

            public override void Down() => Execute("DROP TABLE items");
        }

        [Migration(2)]
        public sealed class AddIndex : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_items_id ON items (id)");

            public override void Down() => Execute("DROP INDEX ix_items_id");
        }

        [Migration(3)]
        public sealed class AddName : Migration
        {
            public override void Up() => Execute("ALTER TABLE items ADD COLUMN name text");

            public override void Down() => Execute("ALTER TABLE items DROP COLUMN name");
        }
    }

    [Test]
    public async Task Up_refuses_when_an_applied_migration_changed_or_a_pending_one_is_out_of_order_and_runs_nothing()
    {
        await using var original = await TestRunner.CreateAsync(typeof(Original));
        await original.Runner.UpAsync();
        await using var edited = original.Sibling(typeof(Edited));

        var error = (await Assert.ThrowsAsync<MigrationValidationException>(() => edited.Runner.UpAsync()))!;

        Assert.That(error.Findings.Select(f => (f.Version, f.Problem)), Is.EquivalentTo(new[]
        {
            (1L, MigrationValidationProblem.ChecksumMismatch), (2L, MigrationValidationProblem.OutOfOrder),
        }));
        Assert.That(error.Message, Does.Contain("Applied migration 1 CreateItems has changed since it was applied").And.Contain("accept-checksums"));
        Assert.That(error.Message, Does.Contain("Pending migration 2 AddIndex is older than the newest applied one (3)").And.Contain("--allow-out-of-order"));
        Assert.That(await original.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 3 }));
    }

    [Test]
    public async Task Formatting_changes_keep_the_checksum_and_out_of_order_is_applied_only_when_allowed()
    {
        await using var original = await TestRunner.CreateAsync(typeof(Original));
        await original.Runner.UpAsync();
        await using var reformatted = original.Sibling(typeof(Reformatted));

        var refused = (await Assert.ThrowsAsync<MigrationValidationException>(() => reformatted.Runner.UpAsync()))!;
        Assert.That(refused.Findings.Select(f => f.Problem), Is.EqualTo(new[] { MigrationValidationProblem.OutOfOrder }), "trailing spaces and CRLF are normalised");

        var result = await reformatted.Runner.UpAsync(new MigrationRunOptions { AllowOutOfOrder = true });
        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public async Task Validate_reports_every_disagreement_and_accepting_checksums_clears_the_mismatch()
    {
        await using var original = await TestRunner.CreateAsync(typeof(Original));
        await original.Runner.UpAsync();
        await original.QueryScalarAsync<int>("INSERT INTO migration_history (version, name, class_name) VALUES (9, 'Gone', 'Old.Gone')");
        await original.QueryScalarAsync<int>("INSERT INTO migration_history (version, name, class_name, state, error) VALUES (8, 'Half', 'Old.Half', 'up_incomplete', '42P07: boom')");
        await using var edited = original.Sibling(typeof(Edited));

        var findings = await edited.Runner.ValidateAsync();

        Assert.That(findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[]
        {
            (1L, MigrationValidationProblem.ChecksumMismatch), (2L, MigrationValidationProblem.OutOfOrder),
            (8L, MigrationValidationProblem.FailedMark), (8L, MigrationValidationProblem.MissingClass), (9L, MigrationValidationProblem.MissingClass),
        }));
        Assert.That(findings[2].Message, Does.Contain("failed (42P07: boom) while applying").And.Contain("resolve 8 --applied"));

        Assert.That(await edited.Runner.AcceptChecksumsAsync(), Is.EqualTo(new long[] { 1 }));
        Assert.That((await edited.Runner.ValidateAsync()).Select(f => f.Problem), Does.Not.Contain(MigrationValidationProblem.ChecksumMismatch));
        Assert.That(await original.Runner.ValidateAsync(), Has.Exactly(1).Matches<MigrationValidationFinding>(f => f!.Version == 1 && f.Problem == MigrationValidationProblem.ChecksumMismatch), "accepted: the original code now differs instead");
    }

    [Test]
    public async Task Rows_recorded_without_a_checksum_pass_validation_and_accepting_fills_them_in()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Original));
        await test.Runner.UpAsync();
        await test.QueryScalarAsync<int>("UPDATE migration_history SET checksum = NULL");

        Assert.That(await test.Runner.ValidateAsync(), Is.Empty);
        Assert.That(await test.Runner.AcceptChecksumsAsync(), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM migration_history WHERE checksum IS NULL"), Is.Zero);
    }

    [Test]
    public async Task Baseline_records_existing_migrations_without_running_them()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Edited));
        await test.QueryScalarAsync<int>("CREATE TABLE items (id bigint)"); // the database predates the tool

        var recorded = await test.Runner.BaselineAsync(1);
        var applied = await test.Runner.UpAsync();

        Assert.That(recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1 }));
        Assert.That(applied.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 2, 3 }));
        var status = await test.Runner.GetStatusAsync();
        Assert.That(status.Select(s => s.State), Is.EqualTo(new[] { MigrationState.Baseline, MigrationState.Applied, MigrationState.Applied }));
        await Assert.ThrowsAsync<UnknownMigrationTargetException>(() => test.Runner.BaselineAsync(7));
    }

    public static class UpLost
    {
        [Migration(1)]
        public sealed class Legacy : Migration
        {
            public override void Up() => throw new InvalidOperationException("the original SQL is lost");

            public override void Down() => Execute("DROP TABLE legacy");
        }
    }

    [Test]
    public async Task Reverting_needs_only_the_Down_of_a_migration()
    {
        await using var test = await TestRunner.CreateAsync(typeof(UpLost));
        await test.QueryScalarAsync<int>("CREATE TABLE legacy (id bigint)");
        await test.Runner.BaselineAsync(1);

        var reverted = await test.Runner.DownAsync(target: 0);

        Assert.That(reverted.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1 }));
        Assert.That(await test.TableExistsAsync("legacy"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);
    }

    public static class Seeded
    {
        [Migration(1)]
        public sealed class CreateCounters : Migration
        {
            public override void Up() => Execute("CREATE TABLE counters (n int); INSERT INTO counters VALUES (1)");

            public override void Down() => Execute("DROP TABLE counters");
        }

        [Migration(2)]
        public sealed class Bump : Migration
        {
            public override void Up() => Execute("UPDATE counters SET n = n + 10");

            public override void Down() => Execute("UPDATE counters SET n = n - 10");
        }

        [Migration(3, UseTransaction = false)]
        public sealed class IndexConcurrently : Migration
        {
            public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_counters_n ON counters (n)");

            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_counters_n");
        }
    }

    [Test]
    public async Task Redo_reverts_and_reapplies_the_newest_migrations()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Seeded));
        await test.Runner.UpAsync(target: 2);
        await test.QueryScalarAsync<int>("UPDATE counters SET n = 100");

        var result = await test.Runner.RedoAsync(steps: 2);

        Assert.That(result.Reverted.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(result.Applied.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.QueryScalarAsync<int>("SELECT n FROM counters"), Is.EqualTo(11));
    }

    [Test]
    public async Task A_dry_run_applies_for_real_then_rolls_everything_back_and_skips_what_cannot_be_dry_run()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Seeded));

        var result = await test.Runner.UpAsync(new MigrationRunOptions { DryRun = true });

        Assert.That(result.DryRun, Is.True);
        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(result.NotDryRun.Select(m => m.Version), Is.EqualTo(new long[] { 3 }));
        Assert.That(await test.TableExistsAsync("counters"), Is.False);
        Assert.That(await test.TableExistsAsync("migration_history"), Is.False, "not even the history table is left");

        await test.Runner.UpAsync(target: 2);
        var down = await test.Runner.DownAsync(new MigrationRunOptions { Target = 0, DryRun = true });
        Assert.That(down.Migrations, Has.Count.EqualTo(2));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.QueryScalarAsync<int>("SELECT n FROM counters"), Is.EqualTo(11));
    }

    public static class BrokenDryRun
    {
        [Migration(1)]
        public sealed class Fine : Migration
        {
            public override void Up() => Execute("CREATE TABLE fine (id int)");

            public override void Down() => Execute("DROP TABLE fine");
        }

        [Migration(2)]
        public sealed class Broken : Migration
        {
            public override void Up() => Execute("ALTER TABLE missing ADD COLUMN x int");

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task A_dry_run_reports_a_migration_that_would_fail_and_changes_nothing()
    {
        await using var test = await TestRunner.CreateAsync(typeof(BrokenDryRun));

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync(new MigrationRunOptions { DryRun = true })))!;

        Assert.That(error.Migration.Version, Is.EqualTo(2));
        Assert.That(await test.TableExistsAsync("fine"), Is.False);
    }

    public static class Timeouts
    {
        [Migration(1)]
        public sealed class ReadsSettings : Migration
        {
            public override void Up() => Execute(async context =>
            {
                var settings = await context.Connection.QuerySingleAsync<(string Lock, string Statement)>(
                    "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", transaction: context.Transaction);
                await context.Connection.ExecuteAsync("CREATE TABLE seen (lock text, statement text); INSERT INTO seen VALUES (@Lock, @Statement)",
                    new { settings.Lock, settings.Statement }, context.Transaction);
            }, "read settings");

            public override void Down() => Execute("DROP TABLE seen");
        }

        [Migration(2, DdlLockTimeout = "200ms", DdlLockRetries = 0)]
        public sealed class AltersBusyTable : Migration
        {
            public override void Up() => Execute("ALTER TABLE seen ADD COLUMN extra int");

            public override void Down() => Execute("ALTER TABLE seen DROP COLUMN extra");
        }
    }

    [Test]
    public async Task Migrations_run_with_a_lock_timeout_so_a_busy_table_fails_fast_instead_of_stalling_traffic()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Timeouts));
        await test.Runner.UpAsync(target: 1);
        Assert.That(await test.QueryAsync<(string, string)>("SELECT lock, statement FROM seen"), Is.EqualTo(new[] { ("5s", "0") }), "the safe defaults");

        await using var busy = new NpgsqlConnection(test.ConnectionString);
        await busy.OpenAsync();
        await using var transaction = await busy.BeginTransactionAsync();
        await busy.ExecuteAsync("SELECT * FROM seen", transaction: transaction); // an open transaction holding a lock on the table
        var clock = Stopwatch.StartNew();

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "200 ms, not the 5 s default");
        Assert.That(error.SqlState, Is.EqualTo("55P03"));
        Assert.That(error.Message, Does.Contain("waited longer than the lock timeout (200ms)").And.Contain("DdlLockTimeout"));
    }

    public static class BadTimeout
    {
        [Migration(1, StatementTimeout = "five minutes")]
        public sealed class Bad : Migration
        {
            public override void Up() => Execute("SELECT 1");

            public override void Down() => Execute("SELECT 1");
        }
    }

    [Test]
    public async Task A_timeout_that_is_not_an_interval_is_refused_by_the_loader()
    {
        await using var test = await TestRunner.CreateAsync(typeof(BadTimeout));

        var error = (await Assert.ThrowsAsync<InvalidMigrationSetException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("has StatementTimeout = \"five minutes\": use a number with a unit"));
    }

    public static class KeepMe
    {
        [Migration(1)]
        public sealed class Create : Migration
        {
            public override void Up() => Execute("CREATE TABLE keepme (id int)");

            public override void Down() => Execute("DROP TABLE keepme");
        }

        [Migration(2)]
        public sealed class Next : Migration
        {
            public override void Up() => Execute("SELECT 1");

            public override void Down() => Execute("SELECT 1");
        }
    }

    [TestCase("DdlLockTimeout")]
    [TestCase("StatementTimeout")]
    public async Task A_timeout_option_with_sql_in_it_is_refused_and_runs_nothing(string option)
    {
        const string Hostile = "5s'; DROP TABLE keepme; --";
        await using var test = await TestRunner.CreateAsync(typeof(KeepMe));
        await test.Runner.UpAsync(target: 1);
        var hostile = test.Sibling(typeof(KeepMe), o =>
        {
            if (option == "DdlLockTimeout")
                o.DdlLockTimeout = Hostile;
            else
                o.StatementTimeout = Hostile;
        });

        var error = (await Assert.ThrowsAsync<MigrationException>(() => hostile.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain($"CodeMigrationsOptions.{option} is \"{Hostile}\": use a number with a unit"));
        Assert.That(await test.TableExistsAsync("keepme"), Is.True);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
        await hostile.DisposeAsync();
    }

    public static class WithCodeStep
    {
        [Migration(1)]
        public sealed class Create : Migration
        {
            public override void Up() => Execute("CREATE TABLE scripted (id int, note text); INSERT INTO scripted VALUES (1, 'it''s; fine')");

            public override void Down() => Execute("DROP TABLE scripted");
        }

        [Migration(2, UseTransaction = false)]
        public sealed class Index : Migration
        {
            public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_scripted_id ON scripted (id)");

            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_scripted_id");
        }

        [Migration(3)]
        public sealed class Code : Migration
        {
            public override void Up() => Execute(_ => Task.CompletedTask, "noop");

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task An_idempotent_script_runs_with_psql_twice_and_leaves_the_same_history_as_up()
    {
        await using var test = await TestRunner.CreateAsync(typeof(WithCodeStep), o => o.TypeFilter = t => t.DeclaringType == typeof(WithCodeStep) && t != typeof(WithCodeStep.Code));

        var script = await test.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions { Idempotent = true });

        Assert.That(script.UnscriptableSteps, Is.Empty);
        Assert.That(script.Sql, Does.Contain("BEGIN;").And.Contain("COMMIT;").And.Contain("SET LOCAL lock_timeout = '5s';").And.Contain("'up_incomplete'"));
        await RunPsqlAsync(test.ConnectionString, script.Sql);
        await RunPsqlAsync(test.ConnectionString, script.Sql);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.QueryScalarAsync<string>("SELECT note FROM scripted"), Is.EqualTo("it's; fine"));
        Assert.That(await test.TableExistsAsync("ix_scripted_id"), Is.True);
        Assert.That(await test.Runner.ValidateAsync(), Is.Empty, "the script records the same checksums as up");

        var down = await test.Runner.ScriptAsync(MigrationDirection.Down, new MigrationScriptOptions { Target = 0 });
        await RunPsqlAsync(test.ConnectionString, down.Sql);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);
        Assert.That(await test.TableExistsAsync("scripted"), Is.False);
    }

    [Test]
    public async Task A_script_leaves_the_history_rows_up_leaves_execution_times_included()
    {
        static bool Scriptable(Type t) => t.DeclaringType == typeof(WithCodeStep) && t != typeof(WithCodeStep.Code);
        await using var scripted = await TestRunner.CreateAsync(typeof(WithCodeStep), o => o.TypeFilter = Scriptable);
        await using var applied = await TestRunner.CreateAsync(typeof(WithCodeStep), o => o.TypeFilter = Scriptable);

        await RunPsqlAsync(scripted.ConnectionString, (await scripted.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions())).Sql);
        await applied.Runner.UpAsync();

        const string Rows = "SELECT version, name, class_name, checksum, state, error, execution_ms IS NOT NULL AS timed FROM migration_history ORDER BY version";
        var expected = await applied.QueryAsync<RecordedRow>(Rows);
        Assert.That(expected.Select(r => r.Timed), Is.All.True, "up records how long each migration took");
        Assert.That(await scripted.QueryAsync<RecordedRow>(Rows), Is.EqualTo(expected), "with or without a transaction");
    }

    public static class HostileDescription
    {
        [Migration(1)]
        public sealed class Keep : Migration
        {
            public override void Up() => Execute("CREATE TABLE keepme (id int)");

            public override void Down() => Execute("DROP TABLE keepme");
        }

        [Migration(2, Description = "first line\nDROP TABLE keepme; --\r\\! echo pwned\u2028more")]
        public sealed class Described : Migration
        {
            public override void Up() => Execute("SELECT 1");

            public override void Down() => Execute("SELECT 1");
        }
    }

    [Test]
    public async Task A_description_with_line_breaks_stays_inside_its_comment_when_psql_runs_the_script()
    {
        await using var test = await TestRunner.CreateAsync(typeof(HostileDescription));
        await test.Runner.UpAsync(target: 1);

        var script = await test.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions());
        await RunPsqlAsync(test.ConnectionString, script.Sql);

        Assert.That(script.Sql, Does.Contain(@"-- 2 Described (first line\nDROP TABLE keepme; --\r\\! echo pwned\u2028more)"));
        Assert.That(await test.TableExistsAsync("keepme"), Is.True);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
    }

    private sealed record RecordedRow(long Version, string Name, string Class_name, string Checksum, string State, string? Error, bool Timed);

    [Test]
    public async Task A_script_marks_code_steps_it_cannot_render()
    {
        await using var test = await TestRunner.CreateAsync(typeof(WithCodeStep));

        var script = await test.Runner.ScriptAsync(MigrationDirection.Up, new MigrationScriptOptions());

        Assert.That(script.UnscriptableSteps, Has.Count.EqualTo(1));
        Assert.That(script.Sql, Does.Contain("-- NOT SCRIPTED: 3 Code step 1 (code step 'noop') runs .NET code"));
        Assert.That(await test.TableExistsAsync("migration_history"), Is.False, "scripting changes nothing");
    }

    internal static async Task RunPsqlAsync(string connectionString, string sql)
    {
        var binaries = LocalPostgresCluster.FindBinaries()
            ?? throw new InvalidOperationException("psql is needed to run generated scripts: install PostgreSQL's client (apt-get install postgresql-client).");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, sql);
        var start = new ProcessStartInfo(Path.Combine(binaries, "psql"))
        {
            ArgumentList = { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!, "-f", file },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (!string.IsNullOrEmpty(builder.Password))
            start.Environment["PGPASSWORD"] = builder.Password;
        using var psql = Process.Start(start)!;
        var errors = await psql.StandardError.ReadToEndAsync();
        await psql.WaitForExitAsync();
        File.Delete(file);
        Assert.That(psql.ExitCode, Is.Zero, errors);
    }
}
