using System.Diagnostics;
using System.Text.Json;

namespace CodeMigrations.Tests.Benchmarks;

/// <summary>
/// The benchmark's <c>--quick</c> run, as a check of the harness (it builds the hosts, runs each tool, verifies what each
/// did and writes its results): no figure is asserted. A subset (tiny and no-op, CodeMigrations and the floors) keeps it
/// to a few minutes on two cores; the whole <c>--quick</c> run takes about ten on a busy machine.
/// </summary>
[Category("Benchmark")]
public sealed class BenchmarkHarnessTests
{
    [Test]
    [CancelAfter(30 * 60 * 1000)]
    public async Task The_quick_run_succeeds_and_writes_a_result_for_every_run(CancellationToken cancellationToken)
    {
        var root = FindRepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "codemigrations-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    "run", "-c", "Release", "--project", Path.Combine(root, "tests", "CodeMigrations.Benchmarks"), "--",
                    "--quick", "--scenarios", "tiny,noop", "--tools", "codemigrations", "--output", output,
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);

            Assert.That(process.ExitCode, Is.Zero, $"{await stdout}{Environment.NewLine}{await stderr}");
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "results.json"), cancellationToken));
            var runs = results.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.That(results.RootElement.GetProperty("machine").GetProperty("fsync").GetString(), Is.EqualTo("on"));
            Assert.That(runs.Select(r => (r.GetProperty("scenario").GetString(), r.GetProperty("tool").GetString())).Distinct(), Is.EquivalentTo(new[]
            {
                ("tiny", "psql"), ("tiny", "codemigrations"), ("noop", "npgsql-probe"), ("noop", "codemigrations"),
            }));
            Assert.That(runs.Select(r => r.GetProperty("ok").GetBoolean()), Is.All.True);
            Assert.That(runs.Select(r => r.GetProperty("seconds").GetDouble()), Is.All.GreaterThan(0));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "results.md"), cancellationToken), Does.Contain("| scenario | tool | median s |"));
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CodeMigrations.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No CodeMigrations.sln above {AppContext.BaseDirectory}.");
    }
}
