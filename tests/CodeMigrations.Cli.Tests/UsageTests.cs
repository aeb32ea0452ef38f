using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>Bad usage and invalid migration sets: exit code 2, one readable message on standard error.</summary>
public sealed class UsageTests
{
    [TestCase(new string[] { "--help" }, "Commands:")]
    [TestCase(new[] { "up", "--help" }, "--to <VERSION>")]
    [TestCase(new[] { "down", "--help" }, "--steps <N>")]
    [TestCase(new[] { "status", "--help" }, "--json")]
    [TestCase(new[] { "resolve", "--help" }, "--not-applied")]
    public async Task Help_describes_the_root_and_each_verb_and_exits_0(string[] args, string expected)
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), args);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Usage:").And.Contain(expected).And.Contain("--connection"));
        Assert.That(run.Stderr, Is.Empty);
    }

    [Test]
    public async Task No_verb_prints_the_help_and_exits_2()
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), []);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Commands:"));
    }

    [Test]
    public async Task An_unknown_verb_exits_2_naming_the_verb_first_with_a_suggestion()
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), ["statu"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("'statu' is not a verb of ").And.Contain("status"));
        Assert.That(run.Stderr, Does.Not.Contain("Required command was not provided"));
        Assert.That(run.Stderr, Does.Contain("--help"));
        Assert.That(run.Stdout, Is.Empty);
    }

    [TestCase("--history-table", " ", "--history-table is empty")]
    [TestCase("--history-schema", "", "--history-schema is empty")]
    [TestCase("--history-table", "t123456789t123456789t123456789t123456789t123456789t123456789_64b", "is 64 bytes long")]
    public async Task A_history_name_postgresql_cannot_keep_is_refused_naming_the_option(string option, string value, string message)
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), ["status", option, value, "-c", "Host=127.0.0.1;Port=1"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(message));
    }

    [TestCase("up", "--conection", "Host=127.0.0.1;Username=deploy;Password=hunter2")]
    [TestCase("up", "Host=127.0.0.1;Username=deploy;Password=hunter2")]
    [TestCase("Host=127.0.0.1;PWD='hunter2;x'")]
    public async Task A_connection_string_in_the_wrong_place_is_refused_without_its_password(params string[] args)
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Host=127.0.0.1").And.Contain("=***"));
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task An_unknown_option_exits_2()
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(null), ["up", "--bogus"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'--bogus'"));
    }

    [TestCase(new[] { "down", "--to", "101", "--steps", "2" }, "not both")]
    [TestCase(new[] { "up", "--ddl-lock-retries", "-1" }, "--ddl-lock-retries must be 0 or more")]
    [TestCase(new[] { "down", "--steps", "0" }, "--steps must be at least 1")]
    [TestCase(new[] { "up", "--to", "soon" }, "soon")]
    [TestCase(new[] { "resolve", "401" }, "exactly one of --applied")]
    [TestCase(new[] { "resolve", "401", "--applied", "--not-applied" }, "exactly one of --applied")]
    [TestCase(new[] { "status", "--lock-timeout", "-1" }, "--lock-timeout must be 0 or more")]
    public async Task Contradictory_or_malformed_options_exit_2_before_touching_the_database(string[] args, string expected)
    {
        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment("Host=127.0.0.1;Port=1"), args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(expected));
    }

    [Test]
    public async Task Without_a_connection_the_command_exits_2_and_says_how_to_give_one()
    {
        var run = await HostProcess.RunAsync(null, "ok", "up");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Is.EqualTo(
            "No database to migrate: pass --connection \"Host=...;Database=...;Username=...\" or set the environment variable CODEMIGRATIONS_CONNECTION.\n"));
    }

    [TestCase("up")]
    [TestCase("down")]
    public async Task An_unknown_target_exits_2_and_names_the_known_versions(string verb)
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var run = await HostProcess.RunAsync(database, "ok", verb, "--to", "150");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Target 150 names no migration").And.Contain("101 to 103"));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
    }

    [Test]
    public async Task An_up_refused_before_it_connects_exits_2_at_once_even_when_the_server_never_answers()
    {
        // The connection opens in the background while the migrations load; a refusal must not wait for it.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var environment = HostProcess.Environment($"Host=127.0.0.1;Port={port};Username=deploy;Timeout=60");

        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, environment, ["up", "--to", "150"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Target 150 names no migration"));
        Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "well within the 60 s connect timeout");
    }

    [Test]
    public async Task Duplicate_versions_exit_2_and_the_message_names_both_classes()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "duplicate", "up");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Version 501")
            .And.Contain("CodeMigrations.TestHost.Sets.Duplicate.FirstWithVersion501")
            .And.Contain("CodeMigrations.TestHost.Sets.Duplicate.SecondWithVersion501"));
        Assert.That(run.Stderr, Does.Not.Contain("   at "));
        Assert.That(await database.TableExistsAsync("public.migration_history"), Is.False, "nothing touched the database");
    }

    [Test]
    public async Task A_migration_that_cannot_run_in_a_transaction_exits_2_before_anything_runs()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok,concurrently-in-transaction", "up");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("601 ConcurrentIndexInTransaction").And.Contain("UseTransaction = false"));
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty, "the check comes before the first migration runs");
    }

    [Test]
    public async Task A_migration_whose_constructor_needs_an_unregistered_service_exits_2_naming_it()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = HostProcess.Environment(database.ConnectionString);
        environment["TESTHOST_NO_SERVICES"] = "1";

        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, environment, ["up"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("SeedNotes").And.Contain("INoteSource"));
    }
}
