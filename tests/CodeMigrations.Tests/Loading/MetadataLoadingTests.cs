using CodeMigrations.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Loading;

/// <summary>The loader reads attributes from metadata without loading types; it must say exactly what reflection says.</summary>
public sealed class MetadataLoadingTests
{
    public static class Varied
    {
        [Migration(101)] public sealed class PlainOne : EmptyMigration;

        [Migration(102, Description = "Described by hand", UseTransaction = false, DdlLockTimeout = "2s", StatementTimeout = "30min", DdlLockRetries = 7)]
        public sealed class EverySetting : EmptyMigration;

        [Migration(103), Irreversible("drops the legacy table and its data")]
        public sealed class DropsData : EmptyMigration;

        [Migration(104)] public sealed class NeedsAService(IRegisteredService service) : EmptyMigration
        {
            public IRegisteredService Service { get; } = service;
        }

        [Migration(105)] public sealed class DerivesFromAGenericBase : GenericBase<int>;

        [Migration(106)] public sealed class DerivesThroughAnAbstractBase : LocalBase;

        [Migration(107, Description = null, UseTransaction = true)] public sealed class Add_URL_column_to_SQLUsers : EmptyMigration;

        public static class Nested
        {
            [Migration(108)] public sealed class DeepInside : EmptyMigration;
        }

        public abstract class LocalBase : EmptyMigration;

        public abstract class GenericBase<T> : EmptyMigration
        {
            public T? Value { get; set; }
        }
    }

    public static class BrokenTimeouts
    {
        [Migration(201, DdlLockTimeout = "soon")] public sealed class BadLockTimeout : EmptyMigration;

        [Migration(202)] public sealed class NoPublicConstructor : EmptyMigration
        {
            private NoPublicConstructor()
            {
            }
        }

        [Migration(203)] public sealed class OpenGeneric<T> : EmptyMigration
        {
            public T? Value { get; set; }
        }
    }

    public interface IRegisteredService;

    [Test]
    public void Metadata_gives_the_same_migrations_as_reflection()
    {
        var isService = Services();
        var fromMetadata = MigrationLoader.Load([typeof(Varied).Assembly], InVaried, isService, readMetadata: true);
        var byReflection = MigrationLoader.Load([typeof(Varied).Assembly], InVaried, isService, readMetadata: false);

        Assert.That(fromMetadata.Migrations, Has.Count.EqualTo(8));
        Assert.That(fromMetadata.Migrations, Is.EqualTo(byReflection.Migrations));
        Assert.That(fromMetadata.Migrations.Select(m => (m.Version, m.Name, m.TypeFullName, m.TypeName, m.UseTransaction, m.IrreversibleReason, m.DdlLockTimeout, m.StatementTimeout, m.ToString())),
            Is.EqualTo(byReflection.Migrations.Select(m => (m.Version, m.Name, m.TypeFullName, m.TypeName, m.UseTransaction, m.IrreversibleReason, m.DdlLockTimeout, m.StatementTimeout, m.ToString()))));
    }

    [Test]
    public void Every_setting_of_the_attribute_is_read_from_metadata()
    {
        var migration = MigrationLoader.Load([typeof(Varied).Assembly], InVaried, Services(), readMetadata: true).Find(102)!;

        Assert.That(migration.Name, Is.EqualTo("Described by hand"));
        Assert.That(migration.UseTransaction, Is.False);
        Assert.That(migration.DdlLockTimeout, Is.EqualTo("2s"));
        Assert.That(migration.StatementTimeout, Is.EqualTo("30min"));
        Assert.That(migration.DdlLockRetries, Is.EqualTo(7));
        Assert.That(MigrationLoader.Load([typeof(Varied).Assembly], InVaried, Services(), readMetadata: false).Find(102)!.DdlLockRetries, Is.EqualTo(7), "by reflection too");
        Assert.That(MigrationLoader.Load([typeof(Varied).Assembly], InVaried, Services(), readMetadata: true).Find(101)?.DdlLockRetries, Is.Null, "unset: the run's");
        Assert.That(migration.TypeFullName, Is.EqualTo(typeof(Varied.EverySetting).FullName));
    }

    [Test]
    public void The_type_of_a_migration_read_from_metadata_is_resolved_when_asked()
    {
        var catalog = MigrationLoader.Load([typeof(Varied).Assembly], InVaried, Services(), readMetadata: true);

        Assert.That(catalog.Find(101)!.Type, Is.SameAs(typeof(Varied.PlainOne)));
        Assert.That(catalog.Find(108)!.Type, Is.SameAs(typeof(Varied.Nested.DeepInside)));
        Assert.That(catalog.Find(108)!.TypeFullName, Is.EqualTo(typeof(Varied.Nested.DeepInside).FullName));
        Assert.That(catalog.Find(103)!.IrreversibleReason, Is.EqualTo("drops the legacy table and its data"));
    }

    [Test]
    public void A_lazy_migration_copied_with_another_type_names_the_new_type()
    {
        var lazy = MigrationLoader.Load([typeof(Varied).Assembly], InVaried, Services(), readMetadata: true).Find(101)!;

        var copy = lazy with { Type = typeof(Varied.DropsData) };

        Assert.That(copy.TypeFullName, Is.EqualTo(typeof(Varied.DropsData).FullName));
        Assert.That(copy.ToString(), Is.EqualTo("101 DropsData"));
        Assert.That(lazy.Type, Is.SameAs(typeof(Varied.PlainOne)));
    }

    [Test]
    public void Invalid_sets_are_rejected_with_the_same_problems_in_the_same_order()
    {
        foreach (var container in new[] { typeof(MigrationLoaderTests.Broken), typeof(BrokenTimeouts) })
        {
            var isService = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceProviderIsService>();
            var fromMetadata = Assert.Throws<InvalidMigrationSetException>(() =>
                MigrationLoader.Load([container.Assembly], t => t.DeclaringType == container, isService, readMetadata: true))!;
            var byReflection = Assert.Throws<InvalidMigrationSetException>(() =>
                MigrationLoader.Load([container.Assembly], t => t.DeclaringType == container, isService, readMetadata: false))!;

            Assert.That(fromMetadata.Problems, Is.EqualTo(byReflection.Problems));
        }
    }

    [Test]
    public void The_bad_timeout_the_missing_constructor_and_the_open_generic_are_each_reported()
    {
        var error = Assert.Throws<InvalidMigrationSetException>(() =>
            MigrationLoader.Load([typeof(BrokenTimeouts).Assembly], t => t.DeclaringType == typeof(BrokenTimeouts), null, readMetadata: true))!;

        Assert.That(error.Problems, Has.Count.EqualTo(3));
        Assert.That(error.Message, Does.Contain($"{typeof(BrokenTimeouts.BadLockTimeout).FullName} has DdlLockTimeout = \"soon\""));
        Assert.That(error.Message, Does.Contain($"{typeof(BrokenTimeouts.NoPublicConstructor).FullName} cannot be constructed: it has no public constructor."));
        Assert.That(error.Message, Does.Contain($"{typeof(BrokenTimeouts.OpenGeneric<>).FullName} has [Migration(203)] but is an open generic type"));
    }

    [Test]
    public void A_whole_assembly_without_a_filter_gives_the_same_problems_as_reflection()
    {
        // The test assembly holds every broken set at once: no filter, as the command line loads a host's assembly.
        var fromMetadata = Assert.Throws<InvalidMigrationSetException>(() => MigrationLoader.Load([typeof(Varied).Assembly], null, null, readMetadata: true))!;
        var byReflection = Assert.Throws<InvalidMigrationSetException>(() => MigrationLoader.Load([typeof(Varied).Assembly], null, null, readMetadata: false))!;

        Assert.That(fromMetadata.Problems, Is.Not.Empty);
        Assert.That(fromMetadata.Problems, Is.EqualTo(byReflection.Problems));
    }

    [Test]
    public void The_library_assembly_itself_is_read_by_reflection_and_holds_no_migration() =>
        Assert.That(MigrationLoader.Load([typeof(Migration).Assembly], null, null).Migrations, Is.Empty);

    private static bool InVaried(Type type) => type.FullName!.StartsWith(typeof(Varied).FullName + "+", StringComparison.Ordinal);

    private static IServiceProviderIsService Services() =>
        new ServiceCollection().AddSingleton<IRegisteredService>(new RegisteredService()).BuildServiceProvider().GetRequiredService<IServiceProviderIsService>();

    private sealed class RegisteredService : IRegisteredService;
}
