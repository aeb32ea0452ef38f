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
}
