using CodeMigrations.Schema;

namespace CodeMigrations.Verification;

/// <summary>
/// How the target database's schema differs from the schema its applied migrations produce: someone changed it by hand.
/// </summary>
public sealed class DriftReport
{
    internal DriftReport(IReadOnlyList<SchemaDifference> differences, IReadOnlyList<long> appliedVersions, IReadOnlyList<string> notes,
        string scratchDatabase, TimeSpan duration)
    {
        Differences = differences;
        AppliedVersions = appliedVersions;
        Notes = notes;
        ScratchDatabase = scratchDatabase;
        Duration = duration;
    }

    /// <summary>
    /// Every difference, in snapshot order. Expected is what the applied migrations produce, found is the database:
    /// <see cref="SchemaDifferenceKind.Unexpected"/> is in the database only, <see cref="SchemaDifferenceKind.Missing"/>
    /// in the migrations only. <see cref="Describe"/> words each one.
    /// </summary>
    public IReadOnlyList<SchemaDifference> Differences { get; }

    /// <summary>What the database has that the migrations do not produce.</summary>
    public IReadOnlyList<SchemaDifference> InDatabaseOnly => Differences.Where(d => d.Kind == SchemaDifferenceKind.Unexpected).ToList();

    /// <summary>What the migrations produce that the database lacks.</summary>
    public IReadOnlyList<SchemaDifference> InMigrationsOnly => Differences.Where(d => d.Kind == SchemaDifferenceKind.Missing).ToList();

    /// <summary>Objects on both sides whose properties differ.</summary>
    public IReadOnlyList<SchemaDifference> Changed => Differences.Where(d => d.Kind == SchemaDifferenceKind.Changed).ToList();

    /// <summary>The versions the history table lists as applied, which were applied to build the expected schema.</summary>
    public IReadOnlyList<long> AppliedVersions { get; }

    /// <summary>
    /// What limits the comparison: no history table, applied versions without a class, migrations marked as failed.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The scratch database the expected schema was built on.</summary>
    public string ScratchDatabase { get; }

    /// <summary>The whole run's time.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the database differs from what its migrations produce.</summary>
    public bool HasDrift => Differences.Count > 0;

    /// <summary>Each difference as a sentence, see <see cref="Describe"/>.</summary>
    public IReadOnlyList<string> Lines => Differences.Select(Describe).ToList();

    /// <summary>
    /// One difference in drift's words: "column books.notes is in the database, but the migrations do not create it";
    /// "index ix_books_title is missing from the database, but the migrations create it"; "default of column
    /// books.price differs: the migrations give 0, the database has none".
    /// </summary>
    /// <param name="difference">A difference from <see cref="Differences"/>.</param>
    /// <returns>The sentence.</returns>
    public static string Describe(SchemaDifference difference)
    {
        ArgumentNullException.ThrowIfNull(difference);
        return difference.Kind switch
        {
            SchemaDifferenceKind.Unexpected => $"{difference.Object} is in the database, but the migrations do not create it",
            SchemaDifferenceKind.Missing => $"{difference.Object} is missing from the database, but the migrations create it",
            _ => difference.DescribeChange("the migrations give", "the database has"),
        };
    }

    /// <summary>"No drift: the schema is what the 12 applied migrations produce", or the number of differences.</summary>
    /// <returns>One line.</returns>
    public override string ToString() => HasDrift
        ? $"Drift: {Differences.Count} difference{(Differences.Count == 1 ? "" : "s")} between the database and what its {AppliedVersions.Count} applied migrations produce"
        : $"No drift: the schema is what the {AppliedVersions.Count} applied migrations produce";
}
