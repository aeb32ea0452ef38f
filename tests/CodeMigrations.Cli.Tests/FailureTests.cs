using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>A migration or the database fails: exit code 1, one readable message, no stack trace unless --verbose.</summary>
public sealed class FailureTests
{
    private const string Password = "hunter2";

    [Test]
    public async Task A_failing_migration_exits_1_naming_its_version_class_and_sqlstate_without_a_stack_trace()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok,failing", "up");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stdout, Does.Contain("✗ 201 BreakOnPurpose failed after "));
        Assert.That(run.Stdout, Does.Contain("Applied 3 migrations before the failure; they stay applied."));
        Assert.That(run.Stderr, Does.StartWith("Migration 201 BreakOnPurpose failed while applying, at step 2 of 2"));
        Assert.That(run.Stderr, Does.Contain("42P01: relation \"no_such_table\" does not exist"));
        Assert.That(run.Stderr, Does.Contain("rolled back"));
        Assert.That(run.Output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace, no exception type names");
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
        Assert.That(await database.TableExistsAsync("failing_effect"), Is.False, "the failed migration left no trace");
    }

    [Test]
    public async Task Verbose_adds_the_stack_trace_and_the_runners_log_on_standard_error()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok,failing", "up", "--verbose");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("CodeMigrations.MigrationFailedException").And.Contain("   at "));
        Assert.That(run.Stderr, Does.Contain("Npgsql.PostgresException"));
        Assert.That(run.Stderr, Does.Contain("info MigrationRunner[1]: Applied migration 101"));
        Assert.That(run.Stderr, Does.Contain("Database: Host="));
        Assert.That(run.Stdout, Does.Not.Contain("   at "));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task An_unreachable_server_exits_1_quickly_and_never_prints_the_password(bool verbose)
    {
        var environment = HostProcess.Environment($"Host=127.0.0.1;Port=1;Username=deploy;Password={Password};Timeout=3");
        string[] args = verbose ? ["up", "--verbose"] : ["up"];

        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, environment, args);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "within the connect timeout, plus the process's start");
        Assert.That(run.Stderr, verbose
            ? Does.Contain("\nCould not connect to PostgreSQL (Host=127.0.0.1;Port=1;")
            : Does.StartWith("Could not connect to PostgreSQL (Host=127.0.0.1;Port=1;"));
        Assert.That(run.Output, Does.Not.Contain(Password));
        if (!verbose)
            Assert.That(run.Output, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task A_password_given_with_the_connection_option_is_never_printed_either()
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null),
            ["status", "--verbose", "--connection", $"Host=127.0.0.1;Port=1;Username=deploy;Password={Password};Timeout=3"]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_malformed_connection_string_exits_2_without_echoing_it()
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment($"Host=x;Pasword={Password}"), ["up"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("CODEMIGRATIONS_CONNECTION is not a valid connection string").And.Contain("pasword"));
        Assert.That(run.Output, Does.Not.Contain(Password));
    }

    [Test]
    public async Task Output_that_is_not_a_terminal_has_no_colour_codes()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var up = await HostProcess.RunAsync(database, "ok,failing", "up");
        var status = await HostProcess.RunAsync(database, "ok,failing", "status");

        Assert.That((up.Output + status.Output).Contains('\u001b', StringComparison.Ordinal), Is.False, up + status.ToString());
        Assert.That(up.Stdout, Does.Contain("✓ 101"), "the progress marks stay");
    }

    [Test]
    public async Task A_terminal_gets_colour_unless_no_color_is_set()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var coloured = await RunInTerminalAsync(database, noColor: false);
        var plain = await RunInTerminalAsync(database, noColor: true);

        Assert.That(coloured.Stdout, Does.Contain("\u001b[32mapplied\u001b[0m"), coloured.ToString());
        // .NET itself writes the terminal's keypad mode (ESC [?1h ESC =) to a terminal: look for colour codes (SGR) only.
        Assert.That(plain.Stdout, Does.Contain("applied").And.Not.Match(@"\u001b\[[0-9;]*m"), plain.ToString());
    }

    /// <summary>Runs status under util-linux `script`, which gives the host a pseudo-terminal as its standard output.</summary>
    private static async Task<HostResult> RunInTerminalAsync(TestDatabase database, bool noColor)
    {
        var environment = HostProcess.Environment(database.ConnectionString);
        if (noColor)
            environment["NO_COLOR"] = "1";
        var command = $"dotnet '{HostProcess.TestHostPath}' status";
        var run = await ScriptHost.RunAsync(command, environment);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return run;
    }

    [TestCase("up")]
    [TestCase("status")]
    [TestCase("down")]
    public async Task A_history_table_locked_by_another_session_fails_after_the_lock_timeout_naming_who_holds_it(string verb)
    {
        var database = await TestServer.CreateDatabaseAsync();
        Assert.That((await HostProcess.RunAsync(database, "ok", "up", "--to", "101")).ExitCode, Is.EqualTo(0));
        await using var holder = new Npgsql.NpgsqlConnection(database.ConnectionString + ";Application Name=lock-holder");
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE migration_history IN ACCESS EXCLUSIVE MODE", holder, transaction))
            await lockTable.ExecuteNonQueryAsync();
        var holderPid = holder.ProcessID;

        var run = await HostProcess.RunAsync(database, "ok", verb, "--ddl-lock-timeout", "1s");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("55P03"), run.ToString());
        Assert.That(run.Stderr, Does.Contain($"is locked by another session (pid {holderPid}").And.Contain("application 'lock-holder'")
            .And.Contain("AccessExclusiveLock").And.Contain("waited 1s").And.Contain($"pg_terminate_backend({holderPid})"), run.ToString());
        await transaction.RollbackAsync();
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101 }), "nothing changed");
    }

    [TestCase("ok,slow", "301 SleepInTransaction", true)]
    [TestCase("slow-nontransactional", "302 SleepWithoutTransaction", false)]
    public async Task A_connection_the_server_ends_mid_migration_names_the_migration_and_what_remains(string sets, string migration, bool transactional)
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var host = HostProcess.Start(database, sets, "up");
        await host.WaitForOutputAsync($"→ {migration} …");
        var killed = 0L;
        for (var attempt = 0; attempt < 50 && killed == 0; attempt++)
        {
            killed = await database.ScalarAsync<long>(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(60)%'");
            if (killed == 0)
                await Task.Delay(100);
        }

        var run = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(killed, Is.EqualTo(1), "the migration's session was found and ended");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.StartWith($"Lost the connection to the server while applying migration {migration}: 57P01"), run.ToString());
        Assert.That(run.Stderr, transactional
            ? Does.Contain("applied whole, history row included, or not at all").And.Contain("run 'status' to see which")
            : Does.Contain($"'resolve {migration[..3]} --applied'"), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("Exception while reading").And.Not.Contain("   at "), run.ToString());
        var status = await HostProcess.RunAsync(database, sets, "status");
        Assert.That(status.Stdout, transactional ? Does.Contain("pending") : Does.Contain("FAILED (up)"), status.ToString());
    }

    [Test]
    public async Task A_server_that_crashes_mid_migration_names_the_migration_and_says_it_is_rolled_back()
    {
        // A throwaway cluster of its own, stopped with pg_ctl stop -m immediate (what disposing a temporary cluster does):
        // the backends die without a word, and the runner's stream breaks.
        var cluster = await CodeMigrations.Testing.LocalPostgresCluster.StartTemporaryAsync();
        await using var host = HostProcess.Start(new TestDatabase(cluster.ConnectionString), "ok,slow", "up");
        await host.WaitForOutputAsync("→ 301 SleepInTransaction …");

        await cluster.DisposeAsync();
        var run = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("Lost the connection to the server while applying migration 301 SleepInTransaction"), run.ToString());
        Assert.That(run.Stderr, Does.Contain("applied whole, history row included, or not at all"), run.ToString());
        Assert.That(run.Output, Does.Not.Contain("   at "), run.ToString());
    }

    [TestCase(3, 0)]
    [TestCase(0, 1)]
    public async Task A_migration_that_hits_its_lock_timeout_is_retried_after_a_pause_unless_retries_are_off(int retries, int exitCode)
    {
        var database = await TestServer.CreateDatabaseAsync();
        Assert.That((await HostProcess.RunAsync(database, "busy", "up", "--to", "1401")).ExitCode, Is.EqualTo(0));
        await using var holder = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync();
        await using (var read = new Npgsql.NpgsqlCommand("SELECT * FROM busy_widgets", holder, transaction))
            await read.ExecuteNonQueryAsync();
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            await transaction.RollbackAsync();
        });

        var run = await HostProcess.RunAsync(database, "busy", "up", "--ddl-lock-retries", retries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await release;

        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
        if (retries > 0)
        {
            Assert.That(run.Stdout, Does.Contain("1402 AlterBusyWidgets gave up waiting for a lock (lock_timeout) and rolled back whole; running it again in ")
                .And.Contain($"(retry 1 of {retries})").And.Contain("Applied 1 migration in"), run.ToString());
            Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1401, 1402 }));
        }
        else
        {
            Assert.That(run.Stderr, Does.Contain("55P03").And.Contain("waited longer than the lock timeout (1s)"), run.ToString());
            Assert.That(run.Stdout, Does.Not.Contain("running it again"), run.ToString());
            Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1401 }));
        }
    }
}
