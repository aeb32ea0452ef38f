using CodeMigrations.Hosting.Tests.Sets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CodeMigrations.Hosting.Tests;

/// <summary>Registration from configuration, in-process with a Generic Host: keys, validation at start, the shared data source.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConfigurationTests
{
    private const string SomeConnection = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody";

    [Test]
    public void Every_key_of_the_CodeMigrations_section_is_bound()
    {
        var settings = TestHosts.Settings(SomeConnection, "Wait");
        settings["CodeMigrations:HistorySchema"] = "ops";
        settings["CodeMigrations:HistoryTable"] = "schema_versions";
        settings["CodeMigrations:LockTimeout"] = "00:00:42";
        settings["CodeMigrations:DdlLockTimeout"] = "7s";
        settings["CodeMigrations:StatementTimeout"] = "10min";
        settings["CodeMigrations:CommandTimeout"] = "00:03:00";
        settings["CodeMigrations:ValidateChecksumsOnUp"] = "false";
        settings["CodeMigrations:ApplicationName"] = "blog-migrations";
        settings["CodeMigrations:WaitTimeout"] = "00:02:00";
        settings["CodeMigrations:WaitPollInterval"] = "00:00:03";
        using var host = TestHosts.Build(settings);

        var options = host.Services.GetRequiredService<CodeMigrationsOptions>();
        var startup = host.Services.GetRequiredService<IOptions<CodeMigrationsStartupOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.ConnectionString, Is.EqualTo(SomeConnection));
            Assert.That(options.HistorySchema, Is.EqualTo("ops"));
            Assert.That(options.HistoryTable, Is.EqualTo("schema_versions"));
            Assert.That(options.LockTimeout, Is.EqualTo(TimeSpan.FromSeconds(42)));
            Assert.That(options.DdlLockTimeout, Is.EqualTo("7s"));
            Assert.That(options.StatementTimeout, Is.EqualTo("10min"));
            Assert.That(options.CommandTimeout, Is.EqualTo(TimeSpan.FromMinutes(3)));
            Assert.That(options.ValidateChecksumsOnUp, Is.False);
            Assert.That(options.ApplicationName, Is.EqualTo("blog-migrations"));
            Assert.That(options.Assemblies, Is.EqualTo(new[] { typeof(CreateFirstTable).Assembly }));
            Assert.That(startup.OnStartup, Is.EqualTo(MigrationStartupMode.Wait));
            Assert.That(startup.WaitTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
            Assert.That(startup.WaitPollInterval, Is.EqualTo(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public void Defaults_apply_when_the_section_is_absent()
    {
        using var host = TestHosts.Build(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = SomeConnection });

        var options = host.Services.GetRequiredService<CodeMigrationsOptions>();
        var startup = host.Services.GetRequiredService<IOptions<CodeMigrationsStartupOptions>>().Value;

        Assert.That((options.HistorySchema, options.HistoryTable, options.LockTimeout), Is.EqualTo(("public", "migration_history", TimeSpan.FromMinutes(5))));
        Assert.That((startup.OnStartup, startup.WaitTimeout), Is.EqualTo((MigrationStartupMode.Migrate, TimeSpan.FromMinutes(5))));
    }

    [Test]
    public void ConnectionStringName_picks_another_connection_string()
    {
        using var host = TestHosts.Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = "Host=wrong",
            ["ConnectionStrings:Migrations"] = SomeConnection,
            ["CodeMigrations:ConnectionStringName"] = "Migrations",
        });

        Assert.That(host.Services.GetRequiredService<CodeMigrationsOptions>().ConnectionString, Is.EqualTo(SomeConnection));
    }

    [Test]
    public void Code_wins_over_configuration()
    {
        var settings = TestHosts.Settings(SomeConnection);
        settings["CodeMigrations:HistoryTable"] = "from_configuration";
        using var host = TestHosts.Build(settings, configure: o => o.HistoryTable = "from_code");

        Assert.That(host.Services.GetRequiredService<CodeMigrationsOptions>().HistoryTable, Is.EqualTo("from_code"));
    }

    [Test]
    public void An_NpgsqlDataSource_in_the_container_is_shared_with_the_application()
    {
        using var host = TestHosts.Build(TestHosts.Settings(connectionString: null), s => s.AddNpgsqlDataSource(SomeConnection));

        var options = host.Services.GetRequiredService<CodeMigrationsOptions>();

        Assert.That(options.DataSource, Is.SameAs(host.Services.GetRequiredService<NpgsqlDataSource>()));
        Assert.That(options.ConnectionString, Is.Null);
    }

    [TestCase("CodeMigrations:LockTimeout", "soon")]
    [TestCase("CodeMigrations:OnStartup", "Sometimes")]
    [TestCase("CodeMigrations:WaitTimeout", "five minutes")]
    [TestCase("CodeMigrations:ValidateChecksumsOnUp", "perhaps")]
    public async Task A_value_of_the_wrong_type_stops_the_start_naming_the_key(string key, string value)
    {
        var settings = TestHosts.Settings(SomeConnection);
        settings[key] = value;
        using var host = TestHosts.Build(settings);

        var error = await Assert.ThrowsAsync(Is.InstanceOf<Exception>(), () => host.StartAsync());

        Assert.That(error!.ToString(), Does.Contain(key));
    }

    [TestCase("CodeMigrations:LockTimeout", "-00:00:01", "must be positive")]
    [TestCase("CodeMigrations:WaitTimeout", "00:00:00", "must be positive")]
    [TestCase("CodeMigrations:HistoryTable", " ", "is empty")]
    [TestCase("CodeMigrations:OnStartup", "7", "use one of Migrate, Wait, Validate, None")]
    [TestCase("CodeMigrations:DdlLockTimeout", "5s'; DROP TABLE users; --", "is not an interval")]
    [TestCase("CodeMigrations:StatementTimeout", "ten minutes", "is not an interval")]
    public async Task An_unusable_value_stops_the_start_naming_the_key(string key, string value, string why)
    {
        var settings = TestHosts.Settings(SomeConnection);
        settings[key] = value;
        using var host = TestHosts.Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain(key).And.Contain(why));
    }

    [Test]
    public async Task No_connection_stops_the_start_saying_where_one_goes()
    {
        using var host = TestHosts.Build(TestHosts.Settings(connectionString: null));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("ConnectionStrings:Default").And.Contain("ConnectionStrings__Default").And.Contain("AddNpgsqlDataSource"));
    }
}
