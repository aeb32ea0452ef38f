using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Running;

public sealed class RunnerTests
{
    /// <summary>A small shop, declared out of order: the runner must order it by version.</summary>
    public static class Shop
    {
        [Migration(3)]
        public sealed class CreateOrders : Migration
        {
            public override void Up() => Execute("""
                CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total numeric NOT NULL);
                CREATE INDEX ix_orders_customer ON orders (customer_id);
                """);

            public override void Down() => Execute("DROP TABLE orders");
        }

        [Migration(1)]
        public sealed class CreateCustomers : Migration
        {
            public override void Up() => Execute("CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL)");

            public override void Down() => Execute("DROP TABLE customers");
        }

        [Migration(2)]
        public sealed class AddCustomerEmail : Migration
        {
            public override void Up() => Execute("ALTER TABLE customers ADD COLUMN email text");

            public override void Down() => Execute("ALTER TABLE customers DROP COLUMN email");
        }
    }

    [Test]
    public async Task Up_applies_every_pending_migration_in_version_order_and_records_each()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));

        var result = await test.Runner.UpAsync();

        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(await test.TableExistsAsync("orders"), Is.True);
        var row = (await test.QueryAsync<(string Name, string ClassName, string AppliedBy, string Checksum, string State)>(
            "SELECT name, class_name, applied_by, checksum, state FROM migration_history WHERE version = 2")).Single();
        Assert.That(row, Is.EqualTo(("Add customer email", typeof(Shop.AddCustomerEmail).FullName!, "postgres", row.Checksum, "applied")));
        Assert.That(row.Checksum, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public async Task Up_again_applies_nothing()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        var again = await test.Runner.UpAsync();

        Assert.That(again.Migrations, Is.Empty);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Up_to_a_target_applies_up_to_and_including_it()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));

        await test.Runner.UpAsync(target: 2);

        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.TableExistsAsync("orders"), Is.False);
    }

    [Test]
    public async Task Up_to_an_unknown_target_is_refused_before_touching_the_database()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));

        var error = (await Assert.ThrowsAsync<UnknownMigrationTargetException>(() => test.Runner.UpAsync(target: 4)))!;

        Assert.That(error.Message, Does.Contain("Target 4 names no migration"));
        Assert.That(await test.TableExistsAsync("migration_history"), Is.False);
    }

    [Test]
    public async Task Down_without_arguments_reverts_only_the_newest_migration()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        var result = await test.Runner.DownAsync();

        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 3 }));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.TableExistsAsync("orders"), Is.False);
    }

    [Test]
    public async Task Down_to_a_target_reverts_every_version_above_it_newest_first()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        var result = await test.Runner.DownAsync(target: 1);

        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'"), Is.Zero);
    }

    [Test]
    public async Task Down_by_steps_reverts_that_many()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        await test.Runner.DownAsync(steps: 2);

        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task Down_to_zero_reverts_everything_and_up_applies_it_all_again()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        await test.Runner.DownAsync(target: 0);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);
        Assert.That(await test.TableExistsAsync("customers"), Is.False);

        await test.Runner.UpAsync();
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Down_to_a_version_that_is_neither_known_nor_applied_is_refused()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();

        await Assert.ThrowsAsync<UnknownMigrationTargetException>(() => test.Runner.DownAsync(target: 42));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Down_refuses_to_revert_a_version_whose_class_is_gone_and_reverts_nothing()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync();
        await using var withoutOrders = test.Sibling(typeof(Shop), o => o.TypeFilter = t => t.DeclaringType == typeof(Shop) && t != typeof(Shop.CreateOrders));

        var error = (await Assert.ThrowsAsync<MissingMigrationException>(() => withoutOrders.Runner.DownAsync(target: 0)))!;

        Assert.That(error.Message, Does.Contain($"3 ({typeof(Shop.CreateOrders).FullName})").And.Contain("Nothing was reverted"));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Status_lists_applied_pending_and_missing_migrations_with_when_and_how_long()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));
        await test.Runner.UpAsync(target: 1);
        await test.QueryScalarAsync<int>("INSERT INTO migration_history (version, name, class_name, execution_ms) VALUES (99, 'Gone', 'Old.Gone', 5)");

        var status = await test.Runner.GetStatusAsync();

        Assert.That(status.Select(s => (s.Version, s.State)), Is.EqualTo(new[]
        {
            (1L, MigrationState.Applied), (2L, MigrationState.Pending), (3L, MigrationState.Pending), (99L, MigrationState.Missing),
        }));
        Assert.That(status[0].AppliedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Assert.That(status[0].ExecutionTime, Is.Not.Null);
        Assert.That(status[0].AppliedBy, Is.EqualTo("postgres"));
        Assert.That(status[1].AppliedAt, Is.Null);
        Assert.That(status[3].ClassName, Is.EqualTo("Old.Gone"));
    }

    [Test]
    public async Task Status_on_a_database_never_migrated_shows_all_pending_and_creates_nothing()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Shop));

        var status = await test.Runner.GetStatusAsync();

        Assert.That(status.Select(s => s.State), Is.All.EqualTo(MigrationState.Pending));
        Assert.That(await test.TableExistsAsync("migration_history"), Is.False);
    }

    public static class Quoted
    {
        [Migration(1)]
        public sealed class CreateThing : Migration
        {
            public override void Up() => Execute("CREATE TABLE thing (id int)");

            public override void Down() => Execute("DROP TABLE thing");
        }
    }

    [Test]
    public async Task A_history_schema_and_table_that_need_quoting_are_quoted_not_pasted()
    {
        const string schema = "Audit \"Trail\"";
        const string table = "history; DROP TABLE thing; --";
        await using var test = await TestRunner.CreateAsync(typeof(Quoted), o => (o.HistorySchema, o.HistoryTable) = (schema, table));

        await test.Runner.UpAsync();
        await test.Runner.DownAsync();
        await test.Runner.UpAsync();

        Assert.That(await test.QueryScalarAsync<long>("SELECT version FROM \"Audit \"\"Trail\"\"\".\"history; DROP TABLE thing; --\""), Is.EqualTo(1));
        Assert.That(await test.TableExistsAsync("thing"), Is.True);
        Assert.That(await test.TableExistsAsync("public.migration_history"), Is.False);
    }
}
