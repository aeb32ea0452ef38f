using CodeMigrations.Execution;

namespace CodeMigrations.Tests.Execution;

public sealed class PipelinePolicyTests
{
    public static class Kinds
    {
        [Migration(1)]
        public sealed class PlainSql : Migration
        {
            public override void Up() => Execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");

            public override void Down() => Execute("DROP TABLE t");
        }

        [Migration(2, UseTransaction = false)]
        public sealed class WithoutTransaction : Migration
        {
            public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix ON t (id)");

            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix");
        }

        [Migration(3)]
        public sealed class WithCode : Migration
        {
            public override void Up() => Execute(_ => Task.CompletedTask, "code");

            public override void Down()
            {
            }
        }

        [Migration(4)]
        public sealed class WithParameters : Migration
        {
            public override void Up() => Execute("INSERT INTO t VALUES (@id)", new { id = 2 });

            public override void Down() => Execute("DELETE FROM t WHERE id = 2");
        }

        [Migration(5)]
        public sealed class LargeSql : Migration
        {
            public static readonly string Sql = "SELECT 1 -- " + new string('x', 2_500_000);

            public override void Up() => Execute(Sql);

            public override void Down() => Execute("SELECT 1");
        }
    }

    [Test]
    public void Consecutive_plain_sql_migrations_in_transactions_form_one_pipeline_and_every_other_runs_alone()
    {
        var segments = PipelinePolicy.Split([
            Prepare<Kinds.PlainSql>(), Prepare<Kinds.PlainSql>(), Prepare<Kinds.WithoutTransaction>(), Prepare<Kinds.PlainSql>(),
            Prepare<Kinds.WithCode>(), Prepare<Kinds.WithParameters>(), Prepare<Kinds.PlainSql>()]);

        Assert.That(segments.Select(s => (s.Migrations.Count, s.Pipelined)), Is.EqualTo(new[]
        {
            (2, true), (1, false), (1, true), (1, false), (1, false), (1, true),
        }));
    }

    [Test]
    public void A_pipeline_is_cut_every_200_migrations() =>
        Assert.That(PipelinePolicy.Split(Enumerable.Range(0, 450).Select(_ => Prepare<Kinds.PlainSql>()).ToList()).Select(s => s.Migrations.Count),
            Is.EqualTo(new[] { 200, 200, 50 }));

    [Test]
    public void A_pipeline_is_cut_once_it_holds_four_million_characters_of_sql() =>
        Assert.That(PipelinePolicy.Split([Prepare<Kinds.LargeSql>(), Prepare<Kinds.LargeSql>(), Prepare<Kinds.LargeSql>()]).Select(s => s.Migrations.Count),
            Is.EqualTo(new[] { 2, 1 }));

    [Test]
    public void Segments_keep_the_planned_order()
    {
        var planned = Enumerable.Range(0, 5).Select(_ => Prepare<Kinds.PlainSql>()).Append(Prepare<Kinds.WithCode>()).ToList();

        Assert.That(PipelinePolicy.Split(planned).SelectMany(s => s.Migrations), Is.EqualTo(planned));
    }

    [Test]
    public void By_default_only_the_last_commit_and_the_ones_before_a_migration_without_a_transaction_wait_for_the_disk()
    {
        List<PreparedMigration> planned = [
            Prepare<Kinds.PlainSql>(), Prepare<Kinds.WithCode>(), Prepare<Kinds.WithoutTransaction>(), Prepare<Kinds.PlainSql>(),
            Prepare<Kinds.PlainSql>(), Prepare<Kinds.WithParameters>()];

        Assert.That(PipelinePolicy.DurableCommits(planned, durableEach: false), Is.EqualTo(new[] { false, true, true, false, false, true }));
        Assert.That(PipelinePolicy.Split(planned, durableEach: false).SelectMany(s => s.Durable), Is.EqualTo(new[] { false, true, true, false, false, true }));
    }

    [Test]
    public void With_durable_each_every_commit_waits_for_the_disk() =>
        Assert.That(PipelinePolicy.Split(Enumerable.Range(0, 250).Select(_ => Prepare<Kinds.PlainSql>()).ToList(), durableEach: true).SelectMany(s => s.Durable),
            Is.All.True);

    [Test]
    public void A_long_run_cut_into_pipelines_has_one_durable_commit_at_its_end()
    {
        var durable = PipelinePolicy.Split(Enumerable.Range(0, 450).Select(_ => Prepare<Kinds.PlainSql>()).ToList(), durableEach: false)
            .SelectMany(s => s.Durable).ToList();

        Assert.That(durable.Count(d => d), Is.EqualTo(1));
        Assert.That(durable[^1], Is.True);
    }

    private static PreparedMigration Prepare<T>()
        where T : Migration, new()
    {
        var attribute = (MigrationAttribute)Attribute.GetCustomAttribute(typeof(T), typeof(MigrationAttribute))!;
        var info = new MigrationInfo(attribute.Version, typeof(T).Name, typeof(T), attribute.UseTransaction);
        return PreparedMigration.Prepare(info, new T(), MigrationDirection.Up);
    }
}
