using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CodeMigrations.Testing;
using Npgsql;

namespace CodeMigrations.Benchmarks;

/// <summary>
/// <c>startup</c>: what an instance of the web example (examples/WebApp) pays at start for each <c>OnStartup</c> mode
/// when nothing is pending: time from process start to the host's "Application started", on an up-to-date database,
/// modes alternated so that a slow moment of the machine hits them alike. Medians, min and max.
/// </summary>
internal static class StartupBenchmark
{
    private static readonly (string Name, string Mode, string? ValidateChecksums)[] Modes =
    [
        ("Migrate", "Migrate", null),
        ("None", "None", null),
        ("Migrate, ValidateChecksumsOnUp=false", "Migrate", "false"),
        ("Validate", "Validate", null),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var runsAt = Array.IndexOf(args, "--runs");
        var runs = runsAt >= 0 && runsAt + 1 < args.Length ? int.Parse(args[runsAt + 1], CultureInfo.InvariantCulture) : 9;
        var repository = BenchmarkProgram.FindRepositoryRoot();
        var dotnet = BenchmarkProgram.FindDotnet();
        var project = Path.Combine(repository, "examples", "WebApp", "WebApp.csproj");
        Console.WriteLine("Building examples/WebApp in Release ...");
        var build = await ProcessTimer.RunAsync(dotnet, ["build", project, "-c", "Release", "-nologo", "-v:q", "-clp:ErrorsOnly"],
            new ProcessTimer.Settings { Timeout = TimeSpan.FromMinutes(10), MeasureMemory = false, KeepOutputLines = 100 }, CancellationToken.None);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"Building the web example failed (exit {build.ExitCode}):\n{build.OutputTail}\n{build.ErrorTail}");
        var app = Path.Combine(repository, "examples", "WebApp", "bin", "Release", "net10.0", "WebApp.dll");

        Console.WriteLine("Starting a throwaway PostgreSQL (fsync on) ...");
        await using var cluster = await LocalPostgresCluster.StartTemporaryAsync(new LocalClusterOptions { Fsync = true });
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE startup", admin);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "startup" }.ConnectionString;
        await TimeToStartedAsync(dotnet, app, database, Modes[0]); // applies the migrations, untimed
        var times = Modes.ToDictionary(m => m.Name, _ => new List<double>());
        for (var run = 0; run < runs; run++)
        {
            foreach (var mode in run % 2 == 0 ? Modes : Modes.Reverse())
                times[mode.Name].Add(await TimeToStartedAsync(dotnet, app, database, mode));
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load {BenchmarkProgram.LoadAverage()}; web example, nothing pending, {runs} runs per mode");
        Console.WriteLine("| OnStartup | median ms | min ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, samples) in times)
        {
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {samples[samples.Count / 2]:0} | {samples[0]:0} | {samples[^1]:0} |"));
        }

        return 0;
    }

    private static async Task<double> TimeToStartedAsync(string dotnet, string app, string database, (string Name, string Mode, string? ValidateChecksums) mode)
    {
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(app);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort()}";
        start.Environment["ConnectionStrings__Default"] = database;
        start.Environment["CodeMigrations__OnStartup"] = mode.Mode;
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        if (mode.ValidateChecksums is { } validate)
            start.Environment["CodeMigrations__ValidateChecksumsOnUp"] = validate;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var started = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnLine(string? line)
        {
            if (line is null)
                return;
            output.Enqueue(line);
            if (line.Contains("Application started", StringComparison.Ordinal))
                started.TrySetResult(clock.Elapsed.TotalMilliseconds);
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        try
        {
            var first = await Task.WhenAny(started.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
            if (first != started.Task)
                throw new InvalidOperationException($"The web example ({mode.Name}) did not start:\n{string.Join('\n', output)}");
            return await started.Task;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await exited;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
