using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Loading;

/// <summary>Loads the configured assemblies' migrations once, on first use, and keeps the result.</summary>
public sealed class MigrationCatalogSource
{
    private readonly Lazy<MigrationCatalog> _catalog;

    /// <summary>A source for the migrations of <see cref="CodeMigrationsOptions.Assemblies"/>, filtered by <see cref="CodeMigrationsOptions.TypeFilter"/>.</summary>
    /// <param name="options">Where the migrations are.</param>
    /// <param name="isService">Tells which constructor parameters the container can provide, to validate constructors up front; <see langword="null"/> skips that check.</param>
    public MigrationCatalogSource(CodeMigrationsOptions options, IServiceProviderIsService? isService)
    {
        var assemblies = options.Assemblies.ToList();
        var filter = options.TypeFilter;
        _catalog = new Lazy<MigrationCatalog>(() => assemblies.Count == 0
            ? throw new InvalidMigrationSetException(["No assemblies to search for migrations: add one with options.Assemblies.Add(typeof(SomeMigration).Assembly)."])
            : MigrationLoader.Load(assemblies, filter, isService));
    }

    /// <exception cref="InvalidMigrationSetException">The set is invalid (thrown again on every call).</exception>
    public MigrationCatalog Catalog => _catalog.Value;
}
