using CodeMigrations.Verification;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class FalseAlarmTests
{
    [Test]
    public async Task A_down_that_drops_an_extension_after_the_column_and_view_using_it_passes()
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(FalseAlarms.Ltree))).VerifyAsync();

        Assert.That(result.Problems.Select(p => p.ToString()), Is.Empty);
        Assert.That(result.Migrations.Select(m => m.Outcome), Is.EqualTo(Enumerable.Repeat(MigrationVerificationOutcome.Ok, 3)));
    }
}
