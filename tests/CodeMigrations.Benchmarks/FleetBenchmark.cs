using System.Diagnostics;
using System.Globalization;
using CodeMigrations.Testing;
using Npgsql;

namespace CodeMigrations.Benchmarks;

/// <summary>
/// <c>fleet</c>: many databases on two local servers, 50 migrations each (the heavy workload: a table, a row and an
/// index per migration). One CodeMigrations process (<c>up --targets FILE --parallel P</c>) against a psql loop (one
/// <c>psql -f</c> per database, 4 at once), for 50, 100 and 200 databases and P = 1, 2, 4, 8: wall time and peak RSS.
/// Every run gets databases of its own, created untimed (nothing is dropped while the benchmark runs: dropping many
/// tables slows the creation of files for minutes after), then a CHECKPOINT on both servers; each run is verified. The
/// psql loop runs before and after the fleet runs of each size, and the table gives both.
/// </summary>
internal static class FleetBenchmark
{
    private const int Migrations = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var counts = Option(args, "--targets", "50,100,200");
        var parallels = Option(args, "--parallel", "1,2,4,8");
        var fsync = args.Contains("--fsync");
        var repository = BenchmarkProgram.FindRepositoryRoot();
        var dotnet = BenchmarkProgram.FindDotnet();
        var work = Path.Combine(repository, "tests", "CodeMigrations.Benchmarks", "obj", "bench-work", "fleet");
        var workload = new Workload("fleet", WorkloadKind.Heavy, Migrations, HasFloorScripts: true);
        var generator = new HostGenerator(repository, work, null);
        var hosts = await generator.GenerateAsync([workload], CancellationToken.None);
        Console.WriteLine("Building the hosts in Release ...");
        await generator.BuildAsync(dotnet, CancellationToken.None);
        HostGenerator.RequireOptimized(hosts);
        var cm = hosts.Dlls["cm-fleet"];
        var upEach = hosts.PsqlFiles[("fleet", "up-each")];

        Console.WriteLine($"Starting two throwaway PostgreSQL clusters (fsync {(fsync ? "on" : "off")}) ...");
        await using var first = await LocalPostgresCluster.StartTemporaryAsync(new LocalClusterOptions { Fsync = fsync });
        await using var second = await LocalPostgresCluster.StartTemporaryAsync(new LocalClusterOptions { Fsync = fsync });
        var psql = Path.Combine(first.BinariesDirectory, "psql");
        var servers = new[] { first.ConnectionString, second.ConnectionString };
        var created = 0;

        // Fresh databases for one run, alternating between the servers, prepared for the tool, then a checkpoint: untimed.
        async Task<(List<string> Targets, string File)> PrepareAsync(int count, bool psqlHistory)
        {
            var run = created++;
            var targets = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var server = servers[i % 2];
                var name = string.Create(CultureInfo.InvariantCulture, $"r{run:000}_t{i:000}");
                await ExecuteAsync(server, $"CREATE DATABASE {name}");
                var target = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
                if (psqlHistory)
                    await ExecuteAsync(target, "CREATE TABLE history (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                targets.Add(target);
            }

            foreach (var server in servers)
                await ExecuteAsync(server, "CHECKPOINT");
            var file = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"targets-r{run:000}.txt"));
            await File.WriteAllLinesAsync(file, targets);
            return (targets, file);
        }

        async Task<string> PsqlRowAsync(int count)
        {
            var (targets, _) = await PrepareAsync(count, psqlHistory: true);
            var loop = await PsqlLoopAsync(psql, targets, upEach, 4);
            await VerifyAsync(targets, "public.history");
            return Row(count, "psql loop", 4, loop.Elapsed, loop.PeakRssKb);
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load {BenchmarkProgram.LoadAverage()}; databases on 2 servers, {Migrations} migrations each");
        var rows = new List<string> { "| targets | tool | parallel | wall s | per target ms | peak RSS MB |", "| ---: | --- | ---: | ---: | ---: | ---: |" };
        foreach (var count in counts)
        {
            rows.Add(await PsqlRowAsync(count));
            foreach (var parallel in parallels)
            {
                var (targets, file) = await PrepareAsync(count, psqlHistory: false);
                var run = await ProcessTimer.RunAsync(dotnet, [cm, "up", "--targets", file, "--parallel", parallel.ToString(CultureInfo.InvariantCulture)],
                    new ProcessTimer.Settings { Timeout = TimeSpan.FromMinutes(20) }, CancellationToken.None);
                if (run.ExitCode != 0)
                    throw new InvalidOperationException($"codemigrations up --targets failed ({run.ExitCode}): {run.OutputTail}{run.ErrorTail}");
                await VerifyAsync(targets, "public.migration_history");
                rows.Add(Row(count, "codemigrations", parallel, run.Elapsed, run.PeakRssKb));
            }

            rows.Add(await PsqlRowAsync(count));
        }

        Console.WriteLine();
        foreach (var row in rows)
            Console.WriteLine(row);
        Console.WriteLine($"load at end {BenchmarkProgram.LoadAverage()}");
        return 0;
    }

    private static string Row(int count, string tool, int parallel, TimeSpan elapsed, long? rssKb)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {count} | {tool} | {parallel} | {elapsed.TotalSeconds:F1} | {elapsed.TotalMilliseconds / count:F0} | {(rssKb is { } kb ? (kb / 1024.0).ToString("F0", CultureInfo.InvariantCulture) : "?")} |");
        Console.WriteLine(line);
        return line;
    }

    /// <summary>One psql per target, <paramref name="parallel"/> at once; the peak RSS is that of the largest psql (each is its own process).</summary>
    private static async Task<(TimeSpan Elapsed, long? PeakRssKb)> PsqlLoopAsync(string psql, IReadOnlyList<string> targets, string file, int parallel)
    {
        long peak = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (target, token) =>
        {
            var b = new NpgsqlConnectionStringBuilder(target);
            var run = await ProcessTimer.RunAsync(psql,
                ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, "-d", b.Database!, "-f", file],
                new ProcessTimer.Settings(), token);
            if (run.ExitCode != 0)
                throw new InvalidOperationException($"psql failed on {b.Database}: {run.ErrorTail}");
            if (run.PeakRssKb is { } kb)
                InterlockedMax(ref peak, kb);
        });
        return (clock.Elapsed, peak == 0 ? null : peak);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task VerifyAsync(IEnumerable<string> targets, string history)
    {
        foreach (var target in targets)
        {
            await using var connection = new NpgsqlConnection(target);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {history}", connection);
            var applied = (long)(await command.ExecuteScalarAsync())!;
            if (applied != Migrations)
                throw new InvalidOperationException($"{new NpgsqlConnectionStringBuilder(target).Database}: {applied} of {Migrations} migrations recorded.");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int[] Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        var value = index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        return value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }
}
