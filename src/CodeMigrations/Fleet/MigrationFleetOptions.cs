namespace CodeMigrations.Fleet;

/// <summary>How a fleet run proceeds.</summary>
public sealed record MigrationFleetOptions
{
    /// <summary>The default <see cref="MaxParallelism"/>: 4 (measured: see the CLI README's fleet section).</summary>
    public const int DefaultMaxParallelism = 4;

    /// <summary>How many targets run at once, at least 1. Default <see cref="DefaultMaxParallelism"/>.</summary>
    public int MaxParallelism { get; init; } = DefaultMaxParallelism;

    /// <summary>
    /// Skip, untouched, a target whose history holds an unresolved failed mark of a migration without a transaction
    /// (default <see langword="true"/>): it needs a person first. Set it to <see langword="false"/> for read-only
    /// operations that report such marks themselves (status, validate).
    /// </summary>
    public bool SkipTargetsWithFailedMarks { get; init; } = true;
}
