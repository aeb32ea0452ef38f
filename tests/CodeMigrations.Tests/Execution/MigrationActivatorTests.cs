using CodeMigrations.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Execution;

public sealed class MigrationActivatorTests
{
    public interface IGreeting
    {
        string Text { get; }
    }

    private sealed class Hello : IGreeting
    {
        public string Text => "hello";
    }

    [Migration(1)]
    public sealed class NeedsGreeting(IGreeting greeting) : Migration
    {
        public IGreeting Greeting { get; } = greeting;

        public override void Up() => Execute($"SELECT '{Greeting.Text}'");

        public override void Down()
        {
        }
    }

    [Migration(2)]
    public sealed class ThrowsWhenCreated : Migration
    {
        public ThrowsWhenCreated() => throw new InvalidOperationException("the constructor's own error");

        public override void Up()
        {
        }

        public override void Down()
        {
        }
    }

    private static readonly MigrationActivator Activator = new();

    [Test]
    public void A_migration_is_created_with_the_services_it_is_given()
    {
        using var services = new ServiceCollection().AddSingleton<IGreeting, Hello>().BuildServiceProvider();

        var migration = (NeedsGreeting)Activator.Create(Info<NeedsGreeting>(1), services);

        Assert.That(migration.Greeting.Text, Is.EqualTo("hello"));
    }

    [Test]
    public void A_constructor_whose_service_is_not_registered_is_refused_naming_the_parameter_and_the_fix()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var error = Assert.Throws<InvalidMigrationException>(() => Activator.Prepare(Info<NeedsGreeting>(1), MigrationDirection.Up, services))!;

        Assert.That(error.Message, Is.EqualTo("Migration 1 NeedsGreeting could not be created: no service is registered for constructor parameter " +
            "IGreeting greeting; register it in the service collection (for the codemigrations tool: in a public class of the assembly that " +
            "implements IMigrationServices). Nothing was run."));
    }

    [Test]
    public void Without_a_container_the_same_error_names_the_parameter() =>
        Assert.That(Assert.Throws<InvalidMigrationException>(() => Activator.Create(Info<NeedsGreeting>(1), new NoServices()))!.Message,
            Does.Contain("no service is registered for constructor parameter IGreeting greeting"));

    [Test]
    public void A_constructor_that_throws_is_reported_with_its_own_error() =>
        Assert.That(Assert.Throws<InvalidMigrationException>(() => Activator.Create(Info<ThrowsWhenCreated>(2), new NoServices()))!.Message,
            Is.EqualTo("Migration 2 ThrowsWhenCreated could not be created: the constructor's own error Nothing was run."));

    private static MigrationInfo Info<T>(long version) => new(version, typeof(T).Name, typeof(T), UseTransaction: true);

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
