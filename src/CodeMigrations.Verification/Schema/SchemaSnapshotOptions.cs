namespace CodeMigrations.Schema;

/// <summary>What a <see cref="SchemaSnapshot"/> leaves out besides the system schemas and the extensions' own objects.</summary>
public sealed record SchemaSnapshotOptions
{
    /// <summary>The schema of the history table to leave out. Default <c>public</c>.</summary>
    public string HistorySchema { get; init; } = "public";

    /// <summary>
    /// The history table to leave out, with its columns, constraints, indexes and comments. Default
    /// <c>migration_history</c>; <see langword="null"/> leaves nothing out.
    /// </summary>
    public string? HistoryTable { get; init; } = "migration_history";

    /// <summary>The options that leave out the history table configured in <paramref name="options"/>.</summary>
    /// <param name="options">The CodeMigrations configuration.</param>
    /// <returns>The snapshot options.</returns>
    public static SchemaSnapshotOptions For(CodeMigrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SchemaSnapshotOptions { HistorySchema = options.HistorySchema, HistoryTable = options.HistoryTable };
    }
}
