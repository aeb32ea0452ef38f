using CodeMigrations.Verification;

namespace CodeMigrations.Tests.Verification;

/// <summary>Each real-world pattern: the right Down passes, the slip beside it is caught and named.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RealWorldPatternTests
{
    [Test]
    public async Task A_select_star_view_rebuilt_in_down_passes_and_a_cascade_that_loses_it_is_caught()
    {
        var result = await VerifyAsync(typeof(RealWorldPatterns.SelectStarView));

        Assert.That(Outcomes(result), Is.EqualTo(new[] { "1 ok", "2 ok", "3 down-differs" }));
        Assert.That(Problems(result, 3), Does.Contain("view active_users").IgnoreCase);
    }

    [Test]
    public async Task A_trigger_recreated_in_down_passes_and_a_forgotten_one_is_caught()
    {
        var result = await VerifyAsync(typeof(RealWorldPatterns.TriggerRecreated));

        Assert.That(Outcomes(result), Is.EqualTo(new[] { "1 ok", "2 ok", "3 down-differs" }));
        Assert.That(Problems(result, 3), Does.Contain("documents_touch"));
    }

    [Test]
    public async Task A_backup_table_renamed_back_passes_and_an_index_left_with_the_backup_name_is_caught()
    {
        var result = await VerifyAsync(typeof(RealWorldPatterns.BackupTable));

        Assert.That(Outcomes(result), Is.EqualTo(new[] { "1 ok", "2 ok", "3 down-differs" }));
        Assert.That(Problems(result, 3), Does.Contain("orders_old_pkey"));
    }

    [Test]
    public async Task An_enum_value_removed_by_rebuilding_the_type_in_down_passes()
    {
        var result = await VerifyAsync(typeof(RealWorldPatterns.EnumRebuiltInDown));

        Assert.That(Outcomes(result), Is.EqualTo(new[] { "1 ok", "2 ok" }));
        Assert.That(result.Succeeded, Is.True, result.ToString());
    }

    private static Task<VerificationResult> VerifyAsync(Type set) => new MigrationVerifier(MigrationVerifierTests.Options(set)).VerifyAsync();

    private static string[] Outcomes(VerificationResult result) =>
        result.Migrations.Select(m => $"{m.Migration.Version} {m.Outcome.ToCode()}").ToArray();

    private static string Problems(VerificationResult result, long version) =>
        string.Join("\n", result.Migrations.Single(m => m.Migration.Version == version).Problems.Select(p => p.ToString()));
}
