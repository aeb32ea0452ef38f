using System.Globalization;

namespace CodeMigrations.Benchmarks;

/// <summary>The command line of the harness.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/CodeMigrations.Benchmarks -- [options]

          --quick              smoke run: N=20 (status N=50), one repetition, every tool; checks the harness, asserts no figures
          --reps N             repetitions of every scenario (default 3 for heavy and revert, 5 for the others; 1 with --quick)
          --output DIR         where results.md and results.json go (default: artifacts/benchmarks under the repository root)
          --work DIR           where the generated hosts and scripts go (default: tests/CodeMigrations.Benchmarks/obj/bench-work)
          --scenarios a,b      only these scenarios: heavy, tiny, noop, status, revert, verify, verify-from
          --tools a,b          only these tools (floors of the chosen scenarios always run): codemigrations, codemigrations-durable-each, fluentmigrator, dbup, evolve, psql-1, psql-group, npgsql
          --n N                migrations per workload (default 1000; 20 with --quick)
          --status-n N         migrations in the status workload (default 10000; 50 with --quick)
          --cli PATH           the CodeMigrations.Cli project to benchmark (default: src/CodeMigrations.Cli of this repository),
                               e.g. a copy of another branch, to compare two versions in the same conditions
          --report FILE        re-render results.md from a results.json of an earlier run, and stop
          --build-only         generate and build the hosts, print where they are, and stop (for profiling one tool by hand)
          --help               this text

        Exit code: 0 when every run succeeded and verified; 1 when any failed; 2 for bad usage.
        """;

    public bool Quick { get; init; }

    public int? Reps { get; init; }

    public string? Output { get; init; }

    public string? Work { get; init; }

    public IReadOnlySet<string>? Scenarios { get; init; }

    public IReadOnlySet<string>? Tools { get; init; }

    public int? N { get; init; }

    public int? StatusN { get; init; }

    public bool Help { get; init; }

    public bool BuildOnly { get; init; }

    public string? Cli { get; init; }

    public string? Report { get; init; }

    public int MigrationCount => N ?? (Quick ? 20 : 1000);

    public int StatusMigrationCount => StatusN ?? (Quick ? 50 : 10_000);

    /// <summary>Repetitions of a scenario: <paramref name="slow"/> ones (heavy, revert) default to 3, the others to 5.</summary>
    public int RepsFor(bool slow) => Reps ?? (Quick ? 1 : slow ? 3 : 5);

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int Number()
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"{arg} needs a positive number, not '{text}'.");
            }

            static HashSet<string> List(string text) =>
                text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => s.ToLowerInvariant())
                    .ToHashSet(StringComparer.Ordinal);

            options = arg switch
            {
                "--quick" => options with { Quick = true },
                "--reps" => options with { Reps = Number() },
                "--output" => options with { Output = Value() },
                "--work" => options with { Work = Value() },
                "--scenarios" => options with { Scenarios = List(Value()) },
                "--tools" => options with { Tools = List(Value()) },
                "--n" => options with { N = Number() },
                "--status-n" => options with { StatusN = Number() },
                "--build-only" => options with { BuildOnly = true },
                "--cli" => options with { Cli = Value() },
                "--report" => options with { Report = Value() },
                "--help" or "-h" or "-?" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown argument '{arg}'."),
            };
        }

        return options;
    }
}
