using CodeMigrations.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Loading;

public sealed class MigrationLoaderTests
{
    public static class Ordered
    {
        [Migration(30)] public sealed class Third : EmptyMigration;
        [Migration(10, Description = "The first one")] public sealed class First : EmptyMigration;
        [Migration(20)] public sealed class AddSQLIndexToUsers : EmptyMigration;
        public abstract class BaseWithoutAttribute : EmptyMigration;
    }

    public static class Broken
    {
        [Migration(5)] public sealed class One : EmptyMigration;
        [Migration(5)] public sealed class Two : EmptyMigration;
        [Migration(0)] public sealed class Zero : EmptyMigration;
        [Migration(-3)] public sealed class Negative : EmptyMigration;
        [Migration(7)] public sealed class NotAMigration;
        public sealed class NoAttribute : EmptyMigration;
        [Migration(8)] public abstract class AbstractOne : EmptyMigration;
        [Migration(9)] public sealed class NeedsAService(IUnregisteredService service) : EmptyMigration
        {
            public IUnregisteredService Service { get; } = service;
        }
    }

    public interface IUnregisteredService;

    [Test]
    public void Migrations_are_ordered_by_version_whatever_their_order_in_the_source()
    {
        var catalog = Load(typeof(Ordered));

        Assert.That(catalog.Migrations.Select(m => m.Version), Is.EqualTo(new long[] { 10, 20, 30 }));
        Assert.That(catalog.Migrations.Select(m => m.Type), Is.EqualTo(new[] { typeof(Ordered.First), typeof(Ordered.AddSQLIndexToUsers), typeof(Ordered.Third) }));
    }

    [Test]
    public void The_description_comes_from_the_attribute_else_from_the_class_name()
    {
        var catalog = Load(typeof(Ordered));

        Assert.That(catalog.Find(10)!.Name, Is.EqualTo("The first one"));
        Assert.That(catalog.Find(20)!.Name, Is.EqualTo("Add SQL index to users"));
    }

    [TestCase("CreateUsersTable", "Create users table")]
    [TestCase("Add_email_to_users", "Add email to users")]
    [TestCase("M20230915_CreateUsers", "M20230915 create users")]
    [TestCase("AddURLColumn", "Add URL column")]
    public void A_class_name_reads_as_a_sentence(string className, string expected) =>
        Assert.That(MigrationLoader.DescribeClassName(className), Is.EqualTo(expected));

    [Test]
    public void An_invalid_set_is_rejected_with_one_error_that_lists_every_problem()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var error = Assert.Throws<InvalidMigrationSetException>(() =>
            MigrationLoader.Load([typeof(Broken).Assembly], t => t.DeclaringType == typeof(Broken), services.GetRequiredService<IServiceProviderIsService>()))!;

        Assert.That(error.Problems, Has.Count.EqualTo(7));
        Assert.That(error.Message, Does.Contain("Version 5 is used by 2 classes")
            .And.Contain(typeof(Broken.One).FullName).And.Contain(typeof(Broken.Two).FullName));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.Zero).FullName} has version 0: a version must be a positive number"));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.Negative).FullName} has version -3"));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.NotAMigration).FullName} has [Migration(7)] but does not derive from CodeMigrations.Migration"));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.NoAttribute).FullName} derives from Migration but has no [Migration(version)] attribute"));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.AbstractOne).FullName} has [Migration(8)] but is abstract"));
        Assert.That(error.Message, Does.Contain($"{typeof(Broken.NeedsAService).FullName} cannot be constructed: no service is registered for constructor parameter IUnregisteredService service"));
    }

    [Test]
    public void An_abstract_base_class_without_attribute_is_not_a_problem() =>
        Assert.That(Load(typeof(Ordered)).Migrations, Has.Count.EqualTo(3));

    private static MigrationCatalog Load(Type container) =>
        MigrationLoader.Load([container.Assembly], t => t.DeclaringType == container, null);
}

/// <summary>A migration with no steps, for tests about loading and planning.</summary>
public abstract class EmptyMigration : Migration
{
    public override void Up()
    {
    }

    public override void Down()
    {
    }
}
