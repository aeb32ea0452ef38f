using System.Collections.Concurrent;
using CodeMigrations.Fleet;
using CodeMigrations.Tests.Running;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Tests.Fleet;

public sealed class MigrationFleetTests
{
    public static class Three
    {
        [Migration(1)]
        public sealed class CreateA : Migration
        {
            public override void Up() => Execute("CREATE TABLE a (id int)");

            public override void Down() => Execute("DROP TABLE a");
        }

        [Migration(2)]
        public sealed class CreateB : Migration
        {
            public override void Up() => Execute("CREATE TABLE b (id int)");

            public override void Down() => Execute("DROP TABLE b");
        }

        // Fails where a table named 'poison' exists: one target of a fleet fails, the others do not.
        [Migration(3)]
        public sealed class CreateC : Migration
        {
            public override void Up() => Execute("DO $$ BEGIN IF to_regclass('poison') IS NOT NULL THEN RAISE EXCEPTION 'poisoned'; END IF; END $$; CREATE TABLE c (id int)");

            public override void Down() => Execute("DROP TABLE c");
        }
    }

    private sealed class Services : IMigrationTargetServices
    {
        public IServiceProvider Create(MigrationTarget target, IMigrationObserver? observer)
        {
            var services = new ServiceCollection();
            if (observer is not null)
                services.AddSingleton(observer);
            services.AddCodeMigrations(o =>
            {
                o.ConnectionString = target.ConnectionString;
                o.Assemblies.Add(typeof(Three).Assembly);
                o.TypeFilter = t => t.DeclaringType == typeof(Three);
            });
            return services.BuildServiceProvider();
        }
    }

    private sealed class Recorder : IMigrationFleetObserver
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public IMigrationObserver ForTarget(MigrationTarget target) => new Tagged(target, Events);

        public void OnTargetStarting(MigrationTarget target) => Events.Enqueue($"start {target}");

        public void OnTargetCompleted(MigrationTargetResult result) => Events.Enqueue($"end {result.Target} {result.State}");

        private sealed class Tagged(MigrationTarget target, ConcurrentQueue<string> events) : IMigrationObserver
        {
            public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration) =>
                events.Enqueue($"{target} {migration.Version}");
        }
    }

    private static MigrationTargetOperation Up => async (_, services, cancellationToken) =>
        new MigrationTargetWork(Applied: (await services.GetRequiredService<IMigrationRunner>().UpAsync(cancellationToken: cancellationToken)).Migrations.Count);

    [Test]
    public async Task Each_target_has_its_own_outcome_and_one_failing_stops_no_other()
    {
        var ok = await TestServer.CreateDatabaseAsync();
        var poisoned = await TestServer.CreateDatabaseAsync();
        await using (var runner = TestRunner.For(poisoned, typeof(Three)))
            await runner.QueryScalarAsync<int>("CREATE TABLE poison (id int)");
        var unreachable = new NpgsqlConnectionStringBuilder(ok) { Port = 1, Timeout = 3 }.ConnectionString;
        var targets = new[] { new MigrationTarget(ok, "ok"), new MigrationTarget(poisoned, "poisoned"), new MigrationTarget(unreachable, "gone") };
        var recorder = new Recorder();

        var results = await new MigrationFleet(new Services(), recorder).RunAsync(targets, new MigrationFleetOptions { MaxParallelism = 2 }, Up);

        Assert.That(results.Select(r => (r.Target.Label, r.State, r.Applied, r.FromVersion, r.ToVersion)), Is.EqualTo(new[]
        {
            ("ok", MigrationTargetState.Ok, 3, (long?)0, (long?)3),
            ("poisoned", MigrationTargetState.Failed, 2, 0, 2),
            ("gone", MigrationTargetState.Unreachable, 0, null, null),
        }));
        Assert.That(results[1].Error, Does.Contain("poisoned"));
        Assert.That(recorder.Events, Does.Contain("ok 3").And.Contain("poisoned 2").And.Contain("end gone Unreachable"));

        var again = await new MigrationFleet(new Services()).RunAsync(targets[..1], new MigrationFleetOptions(), Up);
        Assert.That((again[0].State, again[0].Applied, again[0].FromVersion, again[0].ToVersion), Is.EqualTo((MigrationTargetState.Ok, 0, (long?)3, (long?)3)));
    }

    [Test]
    public async Task A_cancelled_run_starts_no_further_target()
    {
        var targets = new List<MigrationTarget>();
        for (var i = 0; i < 3; i++)
            targets.Add(new MigrationTarget(await TestServer.CreateDatabaseAsync(), $"t{i}"));
        using var cancellation = new CancellationTokenSource();
        MigrationTargetOperation cancelFirst = async (target, services, token) =>
        {
            await cancellation.CancelAsync();
            return await Up(target, services, token);
        };

        var results = await new MigrationFleet(new Services()).RunAsync(targets, new MigrationFleetOptions { MaxParallelism = 1 }, cancelFirst, cancellation.Token);

        Assert.That(results.Select(r => r.State), Is.EqualTo(new[] { MigrationTargetState.Failed, MigrationTargetState.Skipped, MigrationTargetState.Skipped }));
        Assert.That(results[0].ToVersion, Is.EqualTo(0), "the first target's migrations were rolled back");
    }
}
