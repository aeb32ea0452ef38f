using System.Globalization;

namespace CodeMigrations.Cli.Output;

/// <summary>How the CLI writes durations, counts and times: short, and the same everywhere.</summary>
internal static class Durations
{
    /// <summary>"12 ms" below a second, "1.24 s" below a minute, "2 min 03 s" above.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (long)Math.Round(duration.TotalMilliseconds))} ms");
        if (duration < TimeSpan.FromMinutes(1))
            return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.00} s");
        return string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMinutes} min {duration.Seconds:00} s");
    }

    /// <summary>"0.41 s": the unit of summary lines.</summary>
    public static string Seconds(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.00} s");

    /// <summary>"1 migration", "3 migrations".</summary>
    public static string Migrations(int count) => count == 1 ? "1 migration" : $"{count} migrations";

    /// <summary>Local time, ISO 8601 with a space: "2024-05-01 10:11:12".</summary>
    public static string LocalTime(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
