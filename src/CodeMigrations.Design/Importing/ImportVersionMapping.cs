using System.Globalization;
using System.Numerics;

namespace CodeMigrations.Importing;

/// <summary>
/// Turns the versions of another tool's migrations into CodeMigrations versions (positive 64-bit numbers), keeping
/// their order.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A version that is one number (<c>20230915120000</c>, <c>000042</c>, diesel's <c>2023-09-15-120000</c> read as
/// its digits) stays that number when every version of the folder is one number: timestamps stay timestamps.</item>
/// <item>When any version has several components (Flyway's <c>1.2.10</c> or <c>1_2_10</c>), every version of the folder
/// is mapped the same way, with K the largest number of components found: the first component, then each further one
/// as exactly four digits, missing ones as <c>0000</c>. With K = 3, <c>1</c> → <c>1_0000_0000</c>, <c>1.2</c> →
/// <c>1_0002_0000</c>, <c>1.2.10</c> → <c>1_0002_0010</c>. This is Flyway's own order (components compared as numbers,
/// missing ones as 0); a further component of 10000 or more, or a result beyond 2^63 − 1, is refused.</item>
/// <item>Version 0 (diesel's <c>00000000000000_diesel_initial_setup</c>) becomes 1, unless 1 is taken.</item>
/// <item>Two migrations that end up with one number (<c>V1</c> and <c>V1.0</c>, <c>1_a</c> and <c>01_b</c>) are refused, naming both.</item>
/// </list>
/// </remarks>
internal static class ImportVersionMapping
{
    private const int ComponentDigits = 4;
    private const long ComponentLimit = 10_000;

    /// <summary>A version as the tool wrote it, split in numeric components, and the file it came from.</summary>
    public sealed record Entry(string SourceVersion, IReadOnlyList<string> Components, string Source);

    /// <summary>Maps every entry, in the order given; collects every problem instead of stopping at the first.</summary>
    public static long?[] Map(IReadOnlyList<Entry> entries, List<string> problems)
    {
        var result = new long?[entries.Count];
        var width = entries.Count == 0 ? 1 : entries.Max(e => e.Components.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            BigInteger value = 0;
            var ok = true;
            for (var c = 0; c < width; c++)
            {
                var component = c < entry.Components.Count ? BigInteger.Parse(entry.Components[c], NumberStyles.None, CultureInfo.InvariantCulture) : BigInteger.Zero;
                if (c > 0 && component >= ComponentLimit)
                {
                    problems.Add($"{entry.Source}: component '{entry.Components[c]}' of version {entry.SourceVersion} has more than {ComponentDigits} digits, so the version cannot be mapped to one number in order. Renumber it.");
                    ok = false;
                    break;
                }

                value = c == 0 ? component : (value * ComponentLimit) + component;
            }

            if (!ok)
                continue;
            if (value > long.MaxValue)
            {
                problems.Add(width == 1
                    ? $"{entry.Source}: version {entry.SourceVersion} is larger than the largest version CodeMigrations can store (9223372036854775807)."
                    : $"{entry.Source}: version {entry.SourceVersion} maps to {value}, beyond the largest version CodeMigrations can store (9223372036854775807), because the folder mixes large and dotted versions. Renumber it.");
                continue;
            }

            result[i] = (long)value;
        }

        // Version 0 is not a valid CodeMigrations version: it becomes 1 when 1 is free.
        for (var i = 0; i < entries.Count; i++)
        {
            if (result[i] != 0)
                continue;
            if (result.Any(v => v == 1))
            {
                problems.Add($"{entries[i].Source}: version {entries[i].SourceVersion} is 0, which CodeMigrations does not allow, and 1 is taken, so it cannot be mapped. Renumber it.");
                result[i] = null;
            }
            else
            {
                result[i] = 1;
            }
        }

        foreach (var clash in Enumerable.Range(0, entries.Count).Where(i => result[i] is not null).GroupBy(i => result[i]!.Value).Where(g => g.Count() > 1))
        {
            var named = string.Join(" and ", clash.Select(i => $"{entries[i].Source} (version {entries[i].SourceVersion})"));
            problems.Add($"{named} both become version {clash.Key}: every migration needs its own version. Renumber one of them.");
            foreach (var i in clash)
                result[i] = null;
        }

        return result;
    }

    /// <summary>Whether two versions of the tool are equal by Flyway's rule (components compared as numbers; missing ones are 0).</summary>
    public static bool SameVersion(string a, string b) => Compare(a, b) == 0;

    /// <summary>Compares dotted versions by Flyway's rule; null when either is not made of numeric components.</summary>
    public static int? Compare(string a, string b)
    {
        if (Components(a) is not { } left || Components(b) is not { } right)
            return null;
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var x = i < left.Length ? BigInteger.Parse(left[i], NumberStyles.None, CultureInfo.InvariantCulture) : BigInteger.Zero;
            var y = i < right.Length ? BigInteger.Parse(right[i], NumberStyles.None, CultureInfo.InvariantCulture) : BigInteger.Zero;
            var order = x.CompareTo(y);
            if (order != 0)
                return order;
        }

        return 0;
    }

    /// <summary>The numeric components of <c>1.2.10</c> or <c>1_2_10</c>; diesel's dashes are not separators (its digits are one number).</summary>
    public static string[]? Components(string version)
    {
        var parts = version.Split(['.', '_']);
        return parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) ? parts : null;
    }
}
