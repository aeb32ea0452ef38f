using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Tests.Configuration;

public sealed class KeyedRegistrationTests
{
    public static class Billing
    {
        [Migration(1)]
        public sealed class CreateInvoices : Migration
        {
            public override void Up() => Execute("CREATE TABLE invoices (id int)");

            public override void Down() => Execute("DROP TABLE invoices");
        }
    }

    public static class Catalog
    {
        [Migration(1)]
        public sealed class CreateProducts : Migration
        {
            public override void Up() => Execute("CREATE TABLE products (id int)");

            public override void Down() => Execute("DROP TABLE products");
        }

        [Migration(2)]
        public sealed class CreatePrices : Migration
        {
            public override void Up() => Execute("CREATE TABLE prices (id int)");

            public override void Down() => Execute("DROP TABLE prices");
        }
    }

    private sealed class Recorder : IMigrationObserver
    {
        public List<string> Completed { get; } = [];

        public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration) => Completed.Add(migration.Name);
    }

    private static Action<CodeMigrationsOptions> For(string connectionString, Type container) => o =>
    {
        o.ConnectionString = connectionString;
        o.Assemblies.Add(container.Assembly);
        o.TypeFilter = t => t.DeclaringType == container;
    };

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection);
        command.Parameters.AddWithValue("t", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task Two_keyed_registrations_migrate_two_databases_from_one_container()
    {
        var billing = await TestServer.CreateDatabaseAsync();
        var catalog = await TestServer.CreateDatabaseAsync();
        var everyone = new Recorder();
        var catalogOnly = new Recorder();
        var services = new ServiceCollection();
        services.AddSingleton<IMigrationObserver>(everyone);
        services.AddKeyedSingleton<IMigrationObserver>("catalog", catalogOnly);
        services.AddCodeMigrations("billing", For(billing, typeof(Billing)));
        services.AddCodeMigrations("catalog", For(catalog, typeof(Catalog)));
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var billed = await provider.GetRequiredKeyedService<IMigrationRunner>("billing").UpAsync();
        var catalogued = await provider.GetRequiredKeyedService<IMigrationRunner>("catalog").UpAsync();

        Assert.That((billed.Migrations.Count, catalogued.Migrations.Count), Is.EqualTo((1, 2)));
        Assert.That(await TableExistsAsync(billing, "invoices"), Is.True);
        Assert.That(await TableExistsAsync(billing, "products"), Is.False, "each registration has its own database");
        Assert.That(await TableExistsAsync(catalog, "prices"), Is.True);
        Assert.That(everyone.Completed, Has.Count.EqualTo(3));
        Assert.That(catalogOnly.Completed, Is.EqualTo(new[] { "Create products", "Create prices" }));
        var probe = await provider.GetRequiredKeyedService<MigrationStatusProbe>("catalog").ProbeAsync();
        Assert.That((probe.Applied, probe.Pending), Is.EqualTo((2, 0)));
        Assert.That(provider.GetService<IMigrationRunner>(), Is.Null, "keyed registrations add no unkeyed runner");
    }

    [Test]
    public void A_second_unkeyed_registration_is_refused_instead_of_silently_ignored()
    {
        var services = new ServiceCollection();
        services.AddCodeMigrations(For("Host=a;Database=one", typeof(Billing)));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCodeMigrations(For("Host=a;Database=two", typeof(Catalog))))!;

        Assert.That(error.Message, Does.Contain("called twice without a key").And.Contain("AddCodeMigrations(\"tenants\""));
    }

    [Test]
    public void The_same_key_twice_is_refused()
    {
        var services = new ServiceCollection();
        services.AddCodeMigrations("billing", For("Host=a;Database=one", typeof(Billing)));

        Assert.Throws<InvalidOperationException>(() => services.AddCodeMigrations("billing", For("Host=a;Database=two", typeof(Billing))));
        Assert.DoesNotThrow(() => services.AddCodeMigrations(For("Host=a;Database=three", typeof(Catalog))), "an unkeyed registration beside keyed ones is fine");
    }
}
