namespace CodeMigrations;

/// <summary>What a <see cref="Running.MigrationStatusProbe"/> found, as counts.</summary>
/// <param name="Applied">Migrations of this build applied (or recorded as a baseline).</param>
/// <param name="Pending">Migrations of this build not applied.</param>
/// <param name="FailedMarks">Migrations without a transaction left marked as failed.</param>
/// <param name="ChecksumMismatches">Applied migrations whose code changed since (the <c>validate</c> rule).</param>
/// <param name="MissingVersions">Applied versions that no class of this build has.</param>
public sealed record MigrationStatusSummary(int Applied, int Pending, int FailedMarks, int ChecksumMismatches, int MissingVersions)
{
    /// <summary>Whether the database has every migration of this build and history and code agree.</summary>
    public bool IsUpToDate => Pending == 0 && FailedMarks == 0 && ChecksumMismatches == 0 && MissingVersions == 0;
}
