using System.Collections.Concurrent;
using CodeMigrations.Execution;
using CodeMigrations.Fleet;
using CodeMigrations.Loading;
using CodeMigrations.Tests.Running;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Fleet;

/// <summary>A fleet whose targets share the loaded migrations and a sharing activator: what is the same for every database is described once.</summary>
public sealed class SharedDescriptionTests
{
    // Constructions per class, across every target of one run.
    private static readonly ConcurrentDictionary<Type, int> Created = new();

    public static class Counted
    {
        [Migration(1)]
        public sealed class CreateA : Migration
        {
            public CreateA() => Created.AddOrUpdate(GetType(), 1, (_, n) => n + 1);

            public override void Up() => Execute("CREATE TABLE a (id int)");

            public override void Down() => Execute("DROP TABLE a");
        }

        [Migration(2)]
        public sealed class CreateB : Migration
        {
            public CreateB() => Created.AddOrUpdate(GetType(), 1, (_, n) => n + 1);

            public override void Up() => Execute("CREATE TABLE b (id int); CREATE INDEX ix_b ON b (id)");

            public override void Down() => Execute("DROP TABLE b");
        }

        // A code step may keep state on its instance while it runs: never shared between targets.
        [Migration(3)]
        public sealed class FillB : Migration
        {
            private int _rows;

            public FillB() => Created.AddOrUpdate(GetType(), 1, (_, n) => n + 1);

            public override void Up()
            {
                Execute(async context =>
                {
                    _rows = await Dapper.SqlMapper.ExecuteAsync(context.Connection, "INSERT INTO b SELECT generate_series(1, 3)", transaction: context.Transaction);
                });
                Execute(async context =>
                {
                    await Dapper.SqlMapper.ExecuteAsync(context.Connection, $"INSERT INTO a VALUES ({_rows})", transaction: context.Transaction);
                });
            }

            public override void Down() => Execute("DELETE FROM b");
        }
    }

    private sealed class SharedServices(MigrationActivator activator) : IMigrationTargetServices
    {
        private readonly Lock _lock = new();
        private MigrationCatalogSource? _catalog;

        public IServiceProvider Create(MigrationTarget target, IMigrationObserver? observer)
        {
            var services = new ServiceCollection();
            if (observer is not null)
                services.AddSingleton(observer);
            var options = new CodeMigrationsOptions { ConnectionString = target.ConnectionString };
            options.Assemblies.Add(typeof(Counted).Assembly);
            options.TypeFilter = t => t.DeclaringType == typeof(Counted);
            lock (_lock)
                _catalog ??= new MigrationCatalogSource(options, null);
            services.AddSingleton(_catalog);
            services.AddSingleton(activator);
            services.AddCodeMigrations(o =>
            {
                o.ConnectionString = options.ConnectionString;
                o.Assemblies.Add(typeof(Counted).Assembly);
                o.TypeFilter = options.TypeFilter;
            });
            return services.BuildServiceProvider();
        }
    }

    private static MigrationTargetOperation Up => async (_, services, cancellationToken) =>
        new MigrationTargetWork(Applied: (await services.GetRequiredService<IMigrationRunner>().UpAsync(cancellationToken: cancellationToken)).Migrations.Count);

    [Test]
    public async Task Migrations_without_services_or_code_steps_are_described_once_for_every_target_and_each_target_keeps_its_own_result()
    {
        Created.Clear();
        var targets = new List<MigrationTarget>();
        for (var i = 0; i < 4; i++)
            targets.Add(new MigrationTarget(await TestServer.CreateDatabaseAsync(), $"t{i}"));

        var results = await new MigrationFleet(new SharedServices(new MigrationActivator(shareDescriptions: true)))
            .RunAsync(targets, new MigrationFleetOptions { MaxParallelism = 2 }, Up);

        Assert.That(results.Select(r => (r.Target.Label, r.State, r.Applied, r.FromVersion, r.ToVersion, r.Error)), Is.EqualTo(targets.Select(t =>
            (t.Label, MigrationTargetState.Ok, 3, (long?)0, (long?)3, (string?)null))));
        Assert.That(Created[typeof(Counted.CreateA)], Is.EqualTo(1), "described once for the four targets");
        Assert.That(Created[typeof(Counted.CreateB)], Is.EqualTo(1));
        Assert.That(Created[typeof(Counted.FillB)], Is.EqualTo(4), "a migration with code steps is created for each target");
        var checksums = new HashSet<string>();
        foreach (var target in targets)
        {
            await using var runner = TestRunner.For(target.ConnectionString, typeof(Counted));
            Assert.That(await runner.QueryScalarAsync<int>("SELECT id FROM a"), Is.EqualTo(3), $"{target.Label}: its own code step's state");
            checksums.Add(await runner.QueryScalarAsync<string>("SELECT string_agg(version || ' ' || checksum, ', ' ORDER BY version) FROM migration_history"));
        }

        Assert.That(checksums, Has.Count.EqualTo(1), "every target recorded the same checksums");
    }

    [Test]
    public void A_shared_description_has_the_checksum_a_fresh_one_has()
    {
        var catalog = MigrationLoader.Load([typeof(Counted).Assembly], t => t.DeclaringType == typeof(Counted), null);
        var shared = new MigrationActivator(shareDescriptions: true);
        var services = new ServiceCollection().BuildServiceProvider();

        foreach (var migration in catalog.Migrations)
        {
            var first = shared.DescribeUp(migration, services);
            var again = shared.DescribeUp(migration, services);
            var fresh = new MigrationActivator().DescribeUp(migration, services);
            Assert.That((again.Checksum, again.Steps.Count), Is.EqualTo((fresh.Checksum, fresh.Steps.Count)), migration.ToString());
            Assert.That(ReferenceEquals(first, again), Is.EqualTo(migration.Type != typeof(Counted.FillB)), migration.ToString());
        }
    }
}
