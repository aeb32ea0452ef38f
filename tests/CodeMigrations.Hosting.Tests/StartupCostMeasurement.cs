using System.Diagnostics;

namespace CodeMigrations.Hosting.Tests;

/// <summary>
/// What an instance pays at start for OnStartup=Migrate when nothing is pending, against None: the web example started
/// repeatedly on an up-to-date database, time from process start to the host's "Application started". Run by hand:
/// dotnet test tests/CodeMigrations.Hosting.Tests --filter Name~Start_up_cost
/// </summary>
[Explicit("A measurement, not a test: run by hand.")]
public sealed class StartupCostMeasurement
{
    private const int Runs = 9;

    [Test]
    public async Task Start_up_cost_of_Migrate_with_nothing_pending()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using (var first = WebAppProcess.Start(database, "Migrate"))
            await first.WaitUntilServingAsync();

        var times = new Dictionary<string, List<double>> { ["Migrate"] = [], ["None"] = [], ["Migrate, ValidateChecksumsOnUp=false"] = [], ["Validate"] = [] };
        for (var run = 0; run < Runs; run++)
        {
            // Alternate, so that a slow moment of the machine hits both modes alike.
            var modes = times.Keys.ToArray();
            foreach (var mode in run % 2 == 0 ? modes : modes.Reverse())
                times[mode].Add(await TimeToStartedAsync(database, mode));
        }

        foreach (var (mode, samples) in times)
        {
            samples.Sort();
            await TestContext.Out.WriteLineAsync($"{mode}: median {samples[samples.Count / 2]:0} ms (min {samples[0]:0}, max {samples[^1]:0}, {samples.Count} runs)");
        }
    }

    private static async Task<double> TimeToStartedAsync(string database, string mode)
    {
        var clock = Stopwatch.StartNew();
        var settings = new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information" };
        if (mode.EndsWith("=false", StringComparison.Ordinal))
            settings["CodeMigrations__ValidateChecksumsOnUp"] = "false";
        await using var instance = WebAppProcess.Start(database, mode.Split(',')[0], settings);
        while (!instance.Output.Contains("Application started", StringComparison.Ordinal))
        {
            Assert.That(instance.HasExited, Is.False, instance.Output);
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), instance.Output);
            await Task.Delay(5);
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
