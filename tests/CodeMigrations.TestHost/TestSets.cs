using System.Diagnostics.CodeAnalysis;

namespace CodeMigrations.TestHost;

/// <summary>The migration sets of the test host, one namespace each, picked by the environment variable TESTHOST_SETS.</summary>
public static class TestSets
{
    private static readonly Dictionary<string, string> Namespaces = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ok"] = "CodeMigrations.TestHost.Sets.Ok",                       // 101-103: tables, a code step with a service
        ["failing"] = "CodeMigrations.TestHost.Sets.Failing",             // 201: a statement on a missing table
        ["slow"] = "CodeMigrations.TestHost.Sets.Slow",                   // 301: sleeps a minute inside its transaction
        ["slow-nontransactional"] = "CodeMigrations.TestHost.Sets.SlowNonTransactional", // 302: sleeps a minute without a transaction
        ["nontransactional"] = "CodeMigrations.TestHost.Sets.NonTransactional", // 401: fails half-way without a transaction
        ["duplicate"] = "CodeMigrations.TestHost.Sets.Duplicate",         // 501 twice
        ["concurrently-in-transaction"] = "CodeMigrations.TestHost.Sets.ConcurrentlyInTransaction", // 601
        ["wrong-down"] = "CodeMigrations.TestHost.Sets.WrongDown",         // 701-702: 702's Down forgets its index
        ["pooled"] = "CodeMigrations.TestHost.Sets.Pooled",               // 1001-1030: a table each
        ["pooled-nontransactional"] = "CodeMigrations.TestHost.Sets.PooledNonTransactional", // 1031: CREATE INDEX CONCURRENTLY
        ["unsafe"] = "CodeMigrations.TestHost.Sets.Unsafe",                // 801-804: lint findings, one suppressed, a code step
        ["notes"] = "CodeMigrations.TestHost.Sets.Notes",                 // 1301-1302: 1302's Down re-adds a column last
        ["busy"] = "CodeMigrations.TestHost.Sets.Busy",                   // 1401-1402: 1402 alters 1401's table with a 1 s lock timeout
        ["fleet"] = "CodeMigrations.TestHost.Sets.Fleet",                 // 801-805: 803 fails where a table fleet_poison exists
    };

    public static bool TryFromEnvironment([NotNullWhen(true)] out Func<Type, bool>? filter, [NotNullWhen(false)] out string? problem)
    {
        var names = (Environment.GetEnvironmentVariable("TESTHOST_SETS") ?? "ok").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!Namespaces.TryGetValue(name, out var ns))
            {
                filter = null;
                problem = $"Unknown TESTHOST_SETS entry '{name}': use {string.Join(", ", Namespaces.Keys)}.";
                return false;
            }

            namespaces.Add(ns);
        }

        filter = type => type.Namespace is { } ns && namespaces.Contains(ns);
        problem = null;
        return true;
    }
}

/// <summary>The service migration 103 takes in its constructor.</summary>
public interface INoteSource
{
    IReadOnlyList<string> Notes { get; }
}

public sealed class FixedNoteSource : INoteSource
{
    public IReadOnlyList<string> Notes { get; } = ["first note", "second note"];
}
