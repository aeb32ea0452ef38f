using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CodeMigrations.Testing;

namespace CodeMigrations.Benchmarks;

/// <summary>The harness: generate and build the hosts, start a throwaway PostgreSQL, run the scenarios, report.</summary>
internal static class BenchmarkProgram
{
    private static readonly string[] ScenarioKeys = ["heavy", "tiny", "noop", "status", "revert", "verify", "verify-from"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "fleet")
            return await FleetBenchmark.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "startup")
            return await StartupBenchmark.RunAsync(args[1..]);
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
            Validate(options);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            if (options.Report is not null)
                return await RerenderAsync(options.Report, cancellation.Token);
            return await RunAsync(options, cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Npgsql.NpgsqlException or PostgresUnavailableException)
        {
            // The throwaway server has been stopped and deleted by now (await using); report and fail.
            await Console.Error.WriteLineAsync($"FAILED: {e}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        var repository = FindRepositoryRoot();
        var n = options.MigrationCount;
        var statusN = options.StatusMigrationCount;
        var scenarios = Scenario.All(n, statusN).Where(s => options.Scenarios?.Contains(s.Key) ?? true).ToList();
        var workRoot = Path.GetFullPath(options.Work ?? Path.Combine(repository, "tests", "CodeMigrations.Benchmarks", "obj", "bench-work"));
        var work = Path.Combine(workRoot, string.Create(CultureInfo.InvariantCulture, $"n{n}-s{statusN}"));
        var output = Path.GetFullPath(options.Output ?? Path.Combine(repository, "artifacts", "benchmarks", options.Quick ? "quick" : "full"));
        var dotnet = FindDotnet();

        Console.WriteLine($"CodeMigrations benchmark{(options.Quick ? " (--quick)" : "")}: N={n}, status N={statusN}; scenarios {string.Join(", ", scenarios.Select(s => s.Key))}");
        Console.WriteLine($"Generating the hosts in {work} ...");
        var generator = new HostGenerator(repository, work, options.Cli);
        var workloads = scenarios.Select(s => s.Workload).DistinctBy(w => w.Key).ToList();
        var hosts = await generator.GenerateAsync(workloads, cancellationToken);
        var build = Stopwatch.StartNew();
        Console.WriteLine($"Building them in Release (Npgsql {generator.NpgsqlVersion}) ...");
        await generator.BuildAsync(dotnet, cancellationToken);
        var readyToRun = scenarios.Where(s => s.Tools.Contains(ToolId.CodeMigrationsReadyToRun)).Select(s => s.Workload).DistinctBy(w => w.Key).ToList();
        if (readyToRun.Count > 0 && (options.Tools?.Contains(ToolCatalog.Key(ToolId.CodeMigrationsReadyToRun)) ?? true))
            await generator.PublishReadyToRunAsync(dotnet, hosts, readyToRun, cancellationToken);
        HostGenerator.RequireOptimized(hosts);
        Console.WriteLine($"Built in {build.Elapsed.TotalSeconds:F0} s.");
        if (hosts.CodeMigrationsUnavailable is not null)
            Console.WriteLine($"CodeMigrations cannot run: {hosts.CodeMigrationsUnavailable}");
        if (options.BuildOnly)
        {
            foreach (var (name, dll) in hosts.Dlls.OrderBy(d => d.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {name,-12} dotnet {dll}");
            foreach (var (workload, folder) in hosts.ScriptFolders)
                Console.WriteLine($"  scripts {workload,-8} {folder}");
            foreach (var ((workload, file), path) in hosts.PsqlFiles)
                Console.WriteLine($"  psql {workload,-6} {file,-9} {path}");
            return hosts.CodeMigrationsUnavailable is null ? 0 : 1;
        }

        Console.WriteLine("Starting a throwaway PostgreSQL (fsync on) ...");
        await using var cluster = await LocalPostgresCluster.StartTemporaryAsync(new LocalClusterOptions { Fsync = true }, cancellationToken);
        var database = new BenchDatabase(cluster.ConnectionString);
        var psql = Path.Combine(cluster.BinariesDirectory, "psql");
        if (!File.Exists(psql))
            throw new InvalidOperationException($"psql not found next to the server binaries: {psql}");
        var tools = new ToolCatalog(dotnet, psql, hosts, database, cluster.ConnectionString);

        var machine = new MachineInfo(
            Environment.ProcessorCount,
            (await ProcessTimer.RunAsync("nproc", [], new ProcessTimer.Settings { MeasureMemory = false }, cancellationToken)).OutputTail.Trim(),
            CpuModel(),
            MemoryTotal(),
            await database.TextAsync("SHOW server_version", cancellationToken),
            await database.TextAsync("SHOW fsync", cancellationToken),
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            DateTimeOffset.UtcNow,
            loadAtStart,
            LoadAtEnd: null);
        Console.WriteLine($"Machine: {machine.Cores} cores (nproc {machine.Nproc}), {machine.Cpu}; PostgreSQL {machine.PostgresVersion}, fsync {machine.Fsync}; {machine.Date:u}; load {loadAtStart}");

        var runner = new BenchmarkRunner(database, tools, Console.Out);
        var reps = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            var selected = scenario.Tools
                .Where(t => t == scenario.Floor || options.Tools is null || options.Tools.Contains(ToolCatalog.Key(t)))
                .ToList();
            reps[scenario.Key] = options.RepsFor(scenario.Slow);
            await runner.RunAsync(scenario, selected, reps[scenario.Key], cancellationToken);
        }

        machine = machine with { LoadAtEnd = LoadAverage() };
        var markdown = Report.Markdown(machine, scenarios, reps, runner.Runs, tools.Unsupported, total.Elapsed);
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "results.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(output, "results.json"),
            Report.JsonText(machine, new { options.Quick, n, statusN, reps, scenarios = scenarios.Select(s => s.Key), totalMinutes = total.Elapsed.TotalMinutes }, runner.Runs),
            cancellationToken);

        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Every run: {Path.Combine(output, "results.json")}");
        var failed = runner.Runs.Count(r => !r.Ok);
        Console.WriteLine(failed == 0
            ? $"All {runner.Runs.Count} runs succeeded and verified, in {total.Elapsed.TotalMinutes:F1} min."
            : $"{failed} of {runner.Runs.Count} runs FAILED (see above), in {total.Elapsed.TotalMinutes:F1} min.");
        if (hosts.CodeMigrationsUnavailable is not null)
            Console.WriteLine($"FAILED: CodeMigrations was not benchmarked: {hosts.CodeMigrationsUnavailable}.");
        return failed == 0 && runner.Runs.Count > 0 && hosts.CodeMigrationsUnavailable is null ? 0 : 1;
    }

    /// <summary>Renders results.md again from the results.json of an earlier run (e.g. after the report changed).</summary>
    private static async Task<int> RerenderAsync(string jsonPath, CancellationToken cancellationToken)
    {
        var (machine, scenarios, reps, runs, total) = Report.ReadJson(await File.ReadAllTextAsync(jsonPath, cancellationToken));
        var markdown = Report.Markdown(machine, scenarios, reps, runs, ToolCatalog.UnsupportedByDesign, total);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!, "results.md");
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
        Console.WriteLine(markdown);
        return runs.All(r => r.Ok) ? 0 : 1;
    }

    private static void Validate(BenchmarkOptions options)
    {
        var unknownScenario = options.Scenarios?.FirstOrDefault(s => !ScenarioKeys.Contains(s));
        if (unknownScenario is not null)
            throw new ArgumentException($"Unknown scenario '{unknownScenario}'.");
        var toolKeys = Enum.GetValues<ToolId>().Select(ToolCatalog.Key).ToHashSet(StringComparer.Ordinal);
        var unknownTool = options.Tools?.FirstOrDefault(t => !toolKeys.Contains(t));
        if (unknownTool is not null)
            throw new ArgumentException($"Unknown tool '{unknownTool}'.");
    }

    internal static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CodeMigrations.sln")))
                    return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository: CodeMigrations.sln was not found above the current folder.");
    }

    internal static string FindDotnet()
    {
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost))
            return fromHost;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (File.Exists(candidate))
                return candidate;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return !string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))
            ? Path.Combine(root, "dotnet")
            : throw new InvalidOperationException("dotnet was not found on the PATH.");
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";

    private static string MemoryTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        if (line is null)
            return "?";
        var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{kb / 1024.0 / 1024.0:F0} GiB");
    }
}
