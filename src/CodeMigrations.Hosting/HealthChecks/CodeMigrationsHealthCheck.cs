using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodeMigrations.Hosting.HealthChecks;

/// <summary>
/// Healthy when the database has every migration this build knows and history and code agree; otherwise the
/// registration's failure status (Unhealthy by default), with the counts in <see cref="HealthCheckResult.Data"/>:
/// <c>pending</c>, <c>failedMarks</c>, <c>checksumMismatches</c>, <c>missingVersions</c>. Register it with
/// <c>AddHealthChecks().AddCodeMigrations()</c>.
/// </summary>
/// <remarks>
/// A probe reads the history without the lock and without writing anything; the migrations this build knows are loaded
/// once and kept. Checksums need the migrations instantiated, so they are compared only when the set of applied versions
/// differs from the previous probe's, and the result kept until it changes again.
/// </remarks>
public sealed class CodeMigrationsHealthCheck : IHealthCheck
{
    private readonly IMigrationRunner _runner;
    private ChecksumCheck? _lastChecksumCheck;

    /// <summary>Creates the check over the application's runner.</summary>
    public CodeMigrationsHealthCheck(IMigrationRunner runner) => _runner = runner;

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var status = await _runner.GetStatusAsync(cancellationToken);
            var counts = new MigrationHealthCounts(
                Pending: status.Count(s => s.State == MigrationState.Pending),
                FailedMarks: status.Count(s => s.State is MigrationState.FailedUp or MigrationState.FailedDown),
                ChecksumMismatches: await CountChecksumMismatchesAsync(status, cancellationToken),
                MissingVersions: status.Count(s => s.State == MigrationState.Missing));
            var data = counts.ToData();
            return counts.IsUpToDate
                ? HealthCheckResult.Healthy($"Up to date: {status.Count} migration(s) applied", data)
                : new HealthCheckResult(context.Registration.FailureStatus, counts.Describe(), data: data);
        }
        catch (MigrationException e)
        {
            // The runner's messages never carry the connection string's password.
            return new HealthCheckResult(context.Registration.FailureStatus, "Cannot read the migration history: " + e.Message, e);
        }
    }

    private async Task<int> CountChecksumMismatchesAsync(IReadOnlyList<MigrationStatus> status, CancellationToken cancellationToken)
    {
        var applied = string.Join(',', status.Where(s => s.State == MigrationState.Applied).Select(s => s.Version));
        if (applied.Length == 0)
            return 0;
        if (_lastChecksumCheck is { } last && last.AppliedVersions == applied)
            return last.Mismatches;

        var findings = await _runner.ValidateAsync(cancellationToken);
        var mismatches = findings.Count(f => f.Problem == MigrationValidationProblem.ChecksumMismatch);
        // Two probes at once may both compute it; either result is right.
        _lastChecksumCheck = new ChecksumCheck(applied, mismatches);
        return mismatches;
    }

    private sealed record ChecksumCheck(string AppliedVersions, int Mismatches);
}
