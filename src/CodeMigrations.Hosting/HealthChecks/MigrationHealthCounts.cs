namespace CodeMigrations.Hosting.HealthChecks;

/// <summary>What a probe found, as counts, and how a person reads them.</summary>
internal sealed record MigrationHealthCounts(int Pending, int FailedMarks, int ChecksumMismatches, int MissingVersions)
{
    public bool IsUpToDate => Pending == 0 && FailedMarks == 0 && ChecksumMismatches == 0 && MissingVersions == 0;

    public IReadOnlyDictionary<string, object> ToData() => new Dictionary<string, object>
    {
        ["pending"] = Pending,
        ["failedMarks"] = FailedMarks,
        ["checksumMismatches"] = ChecksumMismatches,
        ["missingVersions"] = MissingVersions,
    };

    /// <summary>For example "2 pending migrations, 1 checksum mismatch".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add(Pending, "pending migration");
        Add(FailedMarks, "failed mark");
        Add(ChecksumMismatches, "checksum mismatch", "checksum mismatches");
        Add(MissingVersions, "applied version without a class", "applied versions without a class");
        return string.Join(", ", parts);

        void Add(int count, string one, string? many = null)
        {
            if (count > 0)
                parts.Add($"{count} {(count == 1 ? one : many ?? one + "s")}");
        }
    }
}
