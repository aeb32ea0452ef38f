using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Planning;

namespace CodeMigrations.Tests.Planning;

public sealed class MigrationPlannerTests
{
    private static readonly MigrationCatalog Catalog = new([Info(1), Info(2), Info(3), Info(4)]);

    [Test]
    public void Up_plans_every_pending_migration_oldest_first_including_gaps_below_the_newest_applied()
    {
        var plan = MigrationPlanner.PlanUp(Catalog, [Row(1), Row(3)], target: null);

        Assert.That(Versions(plan), Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void Up_to_a_target_stops_at_the_target_inclusive() =>
        Assert.That(Versions(MigrationPlanner.PlanUp(Catalog, [Row(1)], target: 3)), Is.EqualTo(new long[] { 2, 3 }));

    [Test]
    public void Up_to_an_unknown_target_is_refused_and_names_the_nearest_version()
    {
        var error = Assert.Throws<UnknownMigrationTargetException>(() => MigrationPlanner.PlanUp(Catalog, [], target: 5))!;

        Assert.That(error.Message, Does.Contain("Target 5 names no migration").And.Contain("from 1 to 4").And.Contain("nearest below is 4"));
    }

    [Test]
    public void Down_without_arguments_plans_the_newest_applied_migration() =>
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1), Row(2), Row(3)], null, null)), Is.EqualTo(new long[] { 3 }));

    [Test]
    public void Down_to_a_target_plans_everything_above_it_newest_first() =>
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1), Row(2), Row(3), Row(4)], 1, null)), Is.EqualTo(new long[] { 4, 3, 2 }));

    [Test]
    public void Down_to_zero_plans_every_applied_migration() =>
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1), Row(2)], 0, null)), Is.EqualTo(new long[] { 2, 1 }));

    [Test]
    public void Down_by_steps_plans_that_many_and_no_more_than_are_applied()
    {
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1), Row(2), Row(3)], null, 2)), Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1)], null, 5)), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public void Down_to_an_applied_version_without_a_class_is_a_valid_target() =>
        Assert.That(Versions(MigrationPlanner.PlanDown(Catalog, [Row(1), Row(2), Row(9, "Old.Gone")], 9, null)), Is.Empty);

    [Test]
    public void Down_to_a_version_that_is_neither_known_nor_applied_is_refused() =>
        Assert.Throws<UnknownMigrationTargetException>(() => MigrationPlanner.PlanDown(Catalog, [Row(1)], 7, null));

    [Test]
    public void Down_with_both_target_and_steps_or_zero_steps_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MigrationPlanner.PlanDown(Catalog, [Row(1)], 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MigrationPlanner.PlanDown(Catalog, [Row(1)], null, 0));
    }

    [Test]
    public void Down_that_would_revert_a_version_without_a_class_is_refused_listing_it()
    {
        var error = Assert.Throws<MissingMigrationException>(() => MigrationPlanner.PlanDown(Catalog, [Row(1), Row(9, "Old.Gone")], 0, null))!;

        Assert.That(error.Versions, Is.EqualTo(new long[] { 9 }));
        Assert.That(error.Message, Does.Contain("9 (Old.Gone)").And.Contain("Nothing was reverted"));
    }

    [Test]
    public void A_failed_mark_blocks_both_up_and_down_with_instructions()
    {
        HistoryRow[] history = [Row(1), Row(2) with { State = HistoryState.UpIncomplete, Error = "42P07: relation exists" }];

        var up = Assert.Throws<MigrationBlockedException>(() => MigrationPlanner.PlanUp(Catalog, history, null))!;
        Assert.Throws<MigrationBlockedException>(() => MigrationPlanner.PlanDown(Catalog, history, null, null));

        Assert.That(up.Versions, Is.EqualTo(new long[] { 2 }));
        Assert.That(up.Message, Does.Contain("failed while applying: 42P07: relation exists").And.Contain("resolve VERSION --applied"));
    }

    private static MigrationInfo Info(long version) => new(version, $"Migration {version}", typeof(object), true);

    private static HistoryRow Row(long version, string? className = null) =>
        new(version, $"Migration {version}", className, DateTimeOffset.UnixEpoch, TimeSpan.Zero, "tester", null, HistoryState.Applied, null);

    private static long[] Versions(MigrationPlan plan) => plan.Migrations.Select(m => m.Version).ToArray();
}
