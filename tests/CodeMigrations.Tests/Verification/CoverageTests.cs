using CodeMigrations.Verification;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class CoverageTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        WrongDownsCoverage.Cases.Select(c => new TestCaseData(c.Set, c.Difference).SetName($"A_down_that_forgets_{c.Set.Name["Forgets".Length..]}_is_caught"));

    [TestCaseSource(nameof(Cases))]
    public async Task A_wrong_down_of_what_the_snapshot_covers_is_caught(Type set, string difference)
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(set)).VerifyAsync();

        Assert.That(result.Migrations[0].Outcome, Is.EqualTo(MigrationVerificationOutcome.Ok), string.Join("; ", result.Problems));
        var second = result.Migrations[1];
        Assert.That(second.Outcome, Is.EqualTo(MigrationVerificationOutcome.DownLeavesDifferences), string.Join("; ", result.Problems));
        Assert.That(second.DownDifferences.Select(d => d.ToString()), Does.Contain(difference));
    }

    [TestCase(typeof(WrongDownsCoverage.ForgetsUserMapping))]
    [TestCase(typeof(WrongDownsCoverage.ForgetsUserMappingOption))]
    public async Task A_user_mapping_is_compared_by_its_option_names_and_its_password_is_never_printed(Type set)
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(set)).VerifyAsync();

        // What the snapshot and the comparison print (a failing step's own SQL is quoted elsewhere, as written).
        var printed = string.Join("\n", result.Migrations.SelectMany(m => m.DownDifferences).Select(d => $"{d} | {d.Expected} | {d.Found}"));
        Assert.That(result.Migrations[1].Outcome, Is.EqualTo(MigrationVerificationOutcome.DownLeavesDifferences));
        Assert.That(printed, Does.Contain("user mapping"));
        Assert.That(printed, Does.Not.Contain("secret"));
    }
}

