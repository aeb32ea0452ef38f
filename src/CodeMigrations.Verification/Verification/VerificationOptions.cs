namespace CodeMigrations.Verification;

/// <summary>Where <see cref="MigrationVerifier"/> works, and who hears of its progress.</summary>
public sealed record VerificationOptions
{
    /// <summary>
    /// An existing, empty database to verify on, used as it is and not dropped; at the end, the migrations still
    /// applied there are reverted, newest first, so that it is left as found when the Downs are right. When
    /// <see langword="null"/> (the default), a database <c>&lt;database&gt;_verify_&lt;random&gt;</c> is created on the
    /// configured server and dropped afterwards, which needs the CREATEDB privilege. A database that holds the history
    /// table is refused.
    /// </summary>
    public string? ScratchConnectionString { get; init; }

    /// <summary>
    /// Judge only this version and the ones after it; the older migrations are applied plainly first, to build the
    /// schema they leave (what a pull request that adds migrations needs). <see langword="null"/> (the default) judges
    /// every migration. A version no migration has starts at the first one after it.
    /// </summary>
    public long? From { get; init; }

    /// <summary>Told of each migration as soon as it is verified, e.g. to print progress.</summary>
    public IProgress<MigrationVerification>? Progress { get; init; }
}

/// <summary>Where <see cref="DriftDetector"/> builds the expected schema.</summary>
public sealed record DriftOptions
{
    /// <summary>
    /// An existing, empty database to build the expected schema on, used as it is and not dropped; at the end the
    /// migrations applied there are reverted, newest first. When <see langword="null"/> (the default), a database
    /// <c>&lt;database&gt;_drift_&lt;random&gt;</c> is created on the configured server and dropped afterwards. A
    /// database that holds the history table is refused.
    /// </summary>
    public string? ScratchConnectionString { get; init; }
}
