using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CodeMigrations.Testing;
using Npgsql;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Fleet;

/// <summary>Many databases in one run: 20 targets on 2 servers, one unreachable, one failing, one with a failed mark.</summary>
public sealed class FleetTests
{
    private const string Secret = "fleet-secret-7f3a";
    private static PostgresServer? _second;

    [OneTimeSetUp]
    public async Task StartSecondServerAsync() =>
        _second = await PostgresServer.StartAsync(new PostgresServerOptions { ConnectionEnvironmentVariable = null, UseDocker = false, Fsync = false });

    [OneTimeTearDown]
    public async Task StopSecondServerAsync()
    {
        if (_second is not null)
            await _second.DisposeAsync();
    }

    /// <summary>Trust authentication ignores it; it must never be printed.</summary>
    private static string WithSecret(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { Password = Secret }.ConnectionString;

    private static async Task<List<TestDatabase>> CreateDatabasesAsync(int perServer)
    {
        var first = await TestPostgres.GetServerAsync();
        var databases = new List<TestDatabase>();
        for (var i = 0; i < perServer; i++)
        {
            databases.Add(new TestDatabase(await first.CreateDatabaseAsync()));
            databases.Add(new TestDatabase(await _second!.CreateDatabaseAsync()));
        }

        return databases;
    }

    private static string Label(TestDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> WriteTargetsAsync(IEnumerable<string> lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cm-fleet-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static Dictionary<string, JsonElement> ParseJson(HostResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("target").GetString()!, e => e.Clone());
    }

    private static void AssertNoSecret(HostResult result) =>
        Assert.That(result.Output, Does.Not.Contain(Secret).And.Not.Contain("Password").IgnoreCase, "no password in any output: " + result);

    [Test]
    public async Task Twenty_databases_on_two_servers_each_get_their_own_outcome_and_a_rerun_after_the_fix_applies_only_what_is_missing()
    {
        var databases = await CreateDatabasesAsync(perServer: 10);
        var poisoned = databases[4];
        var marked = databases[7];
        await poisoned.ExecuteAsync("CREATE TABLE fleet_poison (id int)");
        var mark = await HostProcess.RunAsync(marked, "nontransactional", "up");
        Assert.That(mark.ExitCode, Is.EqualTo(1), "401 fails without a transaction and leaves its mark: " + mark);
        var unreachable = new NpgsqlConnectionStringBuilder(databases[0].ConnectionString) { Port = FreePort(), Database = "gone", Password = Secret, Timeout = 5 }.ConnectionString;
        // Every other target is named; the others show as host:port/database.
        var lines = new List<string> { "# tenants of both servers", "" };
        lines.AddRange(databases.Select((d, i) => i % 2 == 0 ? $"tenant-{i:00}={WithSecret(d.ConnectionString)}" : WithSecret(d.ConnectionString)));
        lines.Add($"gone={unreachable}");
        var targets = await WriteTargetsAsync(lines);
        string LabelOf(TestDatabase d) => databases.IndexOf(d) is var i && i % 2 == 0 ? $"tenant-{i:00}" : Label(d);

        var up = await HostProcess.RunAsync(null, "fleet", "up", "--targets", targets, "--parallel", "4");

        Assert.That(up.ExitCode, Is.EqualTo(1), up.ToString());
        AssertNoSecret(up);
        Assert.That(up.Stdout, Does.Contain("21 targets: 18 ok, 1 failed, 1 unreachable, 1 skipped."), up.ToString());
        Assert.That(up.Stdout, Does.Match(@$"\n{LabelOf(poisoned)}\s+0 -> 802\s+2\s+\d[\d.]* m?s\s+failed"));
        Assert.That(up.Stdout, Does.Match(@$"\n{LabelOf(marked)}\s+0 -> 0\s+0\s+\d[\d.]* m?s\s+skipped"));
        Assert.That(up.Stdout, Does.Match(@"\ngone\s+\? -> \?\s+0\s+\d[\d.]* m?s\s+unreachable"));
        Assert.That(up.Stdout, Does.Contain($"{LabelOf(poisoned)}: ").And.Contain("this database holds fleet_poison"));
        Assert.That(up.Stdout, Does.Contain($"{LabelOf(marked)}: Skipped, not touched: migration 401"));
        Assert.That(up.Stdout, Does.Contain("gone: Could not connect"));
        Assert.That(up.Stdout, Does.Contain("tenant-02: started"), "plain progress lines when piped");
        foreach (var database in databases.Where(d => d != poisoned && d != marked))
        {
            Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 801, 802, 803, 804, 805 }), LabelOf(database));
            Assert.That(up.Stdout, Does.Match(@$"\n{LabelOf(database)}\s+0 -> 805\s+5\s+\d[\d.]* m?s\s+ok"));
        }

        Assert.That(await poisoned.AppliedVersionsAsync(), Is.EqualTo(new long[] { 801, 802 }));
        Assert.That(await marked.TableExistsAsync("fleet_tenants"), Is.False, "the target with a failed mark is not touched");

        // The fix: the poison goes, the mark is resolved by hand, the unreachable target leaves the list.
        await poisoned.ExecuteAsync("DROP TABLE fleet_poison");
        await marked.ExecuteAsync("DROP TABLE IF EXISTS nt_effect");
        var resolve = await HostProcess.RunAsync(marked, "nontransactional", "resolve", "401", "--not-applied");
        Assert.That(resolve.ExitCode, Is.EqualTo(0), resolve.ToString());
        await File.WriteAllLinesAsync(targets, lines.Where(l => !l.StartsWith("gone=", StringComparison.Ordinal)));

        var rerun = await HostProcess.RunAsync(null, "fleet", "up", "--targets", targets, "--json");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.ToString());
        AssertNoSecret(rerun);
        var results = ParseJson(rerun);
        Assert.That(results, Has.Count.EqualTo(20));
        foreach (var database in databases)
        {
            var result = results[LabelOf(database)];
            var (applied, from) = database == poisoned ? (3, 802) : database == marked ? (5, 0) : (0, 805);
            Assert.That((result.GetProperty("state").GetString(), result.GetProperty("applied").GetInt32(), result.GetProperty("fromVersion").GetInt64(),
                result.GetProperty("toVersion").GetInt64(), result.GetProperty("error").ValueKind),
                Is.EqualTo(("ok", applied, (long)from, 805L, JsonValueKind.Null)), LabelOf(database));
            Assert.That(result.GetProperty("durationMs").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 801, 802, 803, 804, 805 }), LabelOf(database));
        }
    }

    [Test]
    public async Task A_targets_query_names_databases_that_inherit_the_servers_connection_settings()
    {
        var prefix = $"fleetq_{Guid.NewGuid():N}"[..20];
        var names = new[] { $"{prefix}_a", $"{prefix}_b", $"{prefix}_c" };
        foreach (var name in names)
            await _second!.CreateDatabaseAsync(name);
        var server = WithSecret(_second!.ConnectionString);
        var query = $"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%' ORDER BY 1";

        var up = await HostProcess.RunAsync(null, "fleet", "up", "--connection", server, "--targets-query", query, "--json");

        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
        AssertNoSecret(up);
        var port = new NpgsqlConnectionStringBuilder(server).Port;
        Assert.That(ParseJson(up).Select(r => (r.Key, r.Value.GetProperty("state").GetString(), r.Value.GetProperty("applied").GetInt32())),
            Is.EqualTo(names.Select(n => ($"127.0.0.1:{port}/{n}", "ok", 5))));
        foreach (var name in names)
            Assert.That(await new TestDatabase(_second.ConnectionStringFor(name)).AppliedVersionsAsync(), Is.EqualTo(new long[] { 801, 802, 803, 804, 805 }));

        var status = await HostProcess.RunAsync(null, "fleet", "status", "--connection", server, "--targets-query", query);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Stdout, Does.Contain("3 targets: 3 ok."));
        Assert.That(status.Stdout, Does.Match($@"\n127.0.0.1:{port}/{names[0]}\s+805 -> 805\s+0\s+\d[\d.]* m?s\s+ok"));
    }

    [Test]
    public async Task A_malformed_targets_line_is_bad_usage_that_names_the_line_and_not_the_password()
    {
        var targets = await WriteTargetsAsync(["Host=localhost;Database=a", $"Hots=localhost;Password={Secret};Database=b"]);

        var up = await HostProcess.RunAsync(null, "fleet", "up", "--targets", targets);

        Assert.That(up.ExitCode, Is.EqualTo(2), up.ToString());
        Assert.That(up.Stderr, Does.Contain($"{Path.GetFileName(targets)}, line 2: not a target"));
        Assert.That(up.Output, Does.Not.Contain(Secret));
    }

    [Test]
    public async Task Down_on_a_fleet_reverts_each_target_and_counts_what_it_reverted()
    {
        var databases = await CreateDatabasesAsync(perServer: 1);
        var targets = await WriteTargetsAsync(databases.Select(d => d.ConnectionString));
        var up = await HostProcess.RunAsync(null, "fleet", "up", "--targets", targets);
        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());

        var down = await HostProcess.RunAsync(null, "fleet", "down", "--steps", "2", "--targets", targets, "--json");

        Assert.That(down.ExitCode, Is.EqualTo(0), down.ToString());
        Assert.That(ParseJson(down).Values.Select(r => (r.GetProperty("reverted").GetInt32(), r.GetProperty("toVersion").GetInt64())),
            Is.EqualTo(new[] { (2, 803L), (2, 803L) }));
    }
}
