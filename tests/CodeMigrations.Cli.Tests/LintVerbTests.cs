using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>lint, and its warnings at the start of up and script, on the "unsafe" set (801-804).</summary>
public sealed class LintVerbTests
{
    [Test]
    public async Task Lint_reports_each_unsafe_statement_with_its_rule_and_fix_without_a_database()
    {
        var run = await HostProcess.RunAsync(null, "unsafe", "lint");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("802 IndexLintAccountsByEmail step 1: create-index-non-concurrently")
            .And.Contain("CREATE INDEX lint_accounts_email ON lint_accounts (email)")
            .And.Contain("blocks every write to the table").And.Contain("Instead: CREATE INDEX CONCURRENTLY"));
        Assert.That(run.Stdout, Does.Contain("804 LowerLintEmails step 2: update-without-where"));
        Assert.That(run.Stdout, Does.Contain("suppressed 803 DropLintNote: dropping-column: no code reads note since release 2"));
        Assert.That(run.Stdout, Does.Not.Contain("801"), "everything on a table created in the same migration is safe");
        Assert.That(run.Stdout, Does.Contain("2 unsafe statements found; 1 suppressed with [AllowUnsafe]."));
        Assert.That(run.Stderr, Does.Contain("Skipped: 804 LowerLintEmails step 1 runs .NET code"));
    }

    [Test]
    public async Task Strict_exits_1_on_an_unsuppressed_finding_and_0_when_there_is_none()
    {
        var unsafeRun = await HostProcess.RunAsync(null, "unsafe", "lint", "--strict");
        Assert.That(unsafeRun.ExitCode, Is.EqualTo(1), unsafeRun.ToString());

        var okRun = await HostProcess.RunAsync(null, "ok", "lint", "--strict");
        Assert.That(okRun.ExitCode, Is.EqualTo(0), okRun.ToString());
        Assert.That(okRun.Stdout, Does.Contain("No unsafe statements found."));
    }

    [Test]
    public async Task Json_gives_one_object_per_finding()
    {
        var run = await HostProcess.RunAsync(null, "unsafe", "lint", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var findings = json.RootElement.EnumerateArray().ToList();
        Assert.That(findings.Select(f => (f.GetProperty("version").GetInt64(), f.GetProperty("className").GetString(), f.GetProperty("rule").GetString(), f.GetProperty("suppressed").GetBoolean())),
            Is.EqualTo(new[]
            {
                (802L, "IndexLintAccountsByEmail", "create-index-non-concurrently", false),
                (803L, "DropLintNote", "dropping-column", true),
                (804L, "LowerLintEmails", "update-without-where", false),
            }));
        Assert.That(findings[0].GetProperty("statement").GetString(), Is.EqualTo("CREATE INDEX lint_accounts_email ON lint_accounts (email)"));
        Assert.That(findings[0].GetProperty("message").GetString(), Does.Contain("SHARE lock"));
        Assert.That(findings[1].GetProperty("reason").GetString(), Is.EqualTo("no code reads note since release 2"));
    }

    [Test]
    public async Task Up_and_script_warn_one_line_per_unsuppressed_finding_of_what_they_will_run_and_go_on()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var script = await HostProcess.RunAsync(database, "unsafe", "script", "up", "--allow-code-steps");
        Assert.That(script.ExitCode, Is.EqualTo(0), script.ToString());
        Assert.That(WarningLines(script.Stderr), Is.EqualTo(new[]
        {
            "warning: 802 IndexLintAccountsByEmail: create-index-non-concurrently: CREATE INDEX lint_accounts_email ON lint_accounts (email) (see 'lint'; suppress with [AllowUnsafe(rule, reason)])",
            "warning: 804 LowerLintEmails: update-without-where: UPDATE lint_accounts SET email = lower(email) (see 'lint'; suppress with [AllowUnsafe(rule, reason)])",
        }));

        var first = await HostProcess.RunAsync(database, "unsafe", "up", "--to", "802");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(WarningLines(first.Stderr), Has.Length.EqualTo(1).And.All.Contain("802 IndexLintAccountsByEmail"));

        var rest = await HostProcess.RunAsync(database, "unsafe", "up");
        Assert.That(rest.ExitCode, Is.EqualTo(0), rest.ToString());
        Assert.That(WarningLines(rest.Stderr), Has.Length.EqualTo(1).And.All.Contain("804 LowerLintEmails"), "applied migrations are not warned of again");
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 801, 802, 803, 804 }));
    }

    private static string[] WarningLines(string stderr) =>
        [.. stderr.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal) && l.Contains("(see 'lint'", StringComparison.Ordinal))];
}
