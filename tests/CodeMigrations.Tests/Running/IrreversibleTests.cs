namespace CodeMigrations.Tests.Running;

public sealed class IrreversibleTests
{
    public static class WithIrreversible
    {
        [Migration(1)]
        public sealed class CreateOrders : Migration
        {
            public override void Up() => Execute("CREATE TABLE orders (id int, legacy_code text)");

            public override void Down() => Execute("DROP TABLE orders");
        }

        [Migration(2)]
        [Irreversible("drops the legacy_code column and its data")]
        public sealed class DropLegacyCode : Migration
        {
            public override void Up() => Execute("ALTER TABLE orders DROP COLUMN legacy_code");

            public override void Down()
            {
            }
        }

        [Migration(3)]
        public sealed class AddTotal : Migration
        {
            public override void Up() => Execute("ALTER TABLE orders ADD COLUMN total numeric");

            public override void Down() => Execute("ALTER TABLE orders DROP COLUMN total");
        }
    }

    [Test]
    public async Task A_down_that_would_cross_an_irreversible_migration_is_refused_before_anything_is_reverted()
    {
        await using var test = await TestRunner.CreateAsync(typeof(WithIrreversible));
        await test.Runner.UpAsync();

        var error = (await Assert.ThrowsAsync<IrreversibleMigrationException>(() => test.Runner.DownAsync(target: 0)))!;

        Assert.That(error.Message, Does.Contain("2 DropLegacyCode (drops the legacy_code column and its data) is irreversible")
            .And.Contain("Nothing was reverted").And.Contain("--to 2"));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }), "not even the reversible migration above it");
    }

    [Test]
    public async Task A_down_that_stops_above_an_irreversible_migration_runs_and_status_shows_the_mark()
    {
        await using var test = await TestRunner.CreateAsync(typeof(WithIrreversible));
        await test.Runner.UpAsync();

        await test.Runner.DownAsync(target: 2);

        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        var status = await test.Runner.GetStatusAsync();
        Assert.That(status[1].IrreversibleReason, Is.EqualTo("drops the legacy_code column and its data"));
        Assert.That(status[0].IrreversibleReason, Is.Null);
    }
}
