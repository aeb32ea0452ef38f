using CodeMigrations;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CodeMigrations in a service collection.</summary>
public static class CodeMigrationsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMigrationRunner"/> and the parts it coordinates for the configured database: the catalog source,
    /// the connection factory, the history table, the activator and the executor, each only when not registered yet.
    /// Migrations are created from the container for each run, so their constructors may take any registered service.
    /// The CodeMigrations.Verification package adds <c>verify</c>, <c>drift</c> and <c>schema</c> on top with
    /// <c>AddCodeMigrationsVerification</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection, the assemblies holding migrations, and the history table.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// services.AddCodeMigrations(o =>
    /// {
    ///     o.ConnectionString = "Host=localhost;Database=app;Username=app";
    ///     o.Assemblies.Add(typeof(CreateUsersTable).Assembly);
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrations(this IServiceCollection services, Action<CodeMigrationsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CodeMigrationsOptions();
        configure(options);

        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new MigrationCatalogSource(sp.GetRequiredService<CodeMigrationsOptions>(), sp.GetService<IServiceProviderIsService>()));
        services.TryAddSingleton(sp => new MigrationConnectionFactory(sp.GetRequiredService<CodeMigrationsOptions>()));
        services.TryAddSingleton(sp =>
        {
            var configured = sp.GetRequiredService<CodeMigrationsOptions>();
            return new MigrationHistory(configured.HistorySchema, configured.HistoryTable) 
            {
                // An invalid interval is the runner's to refuse, with the option's name, before anything connects.
                LockTimeout = CodeMigrations.Execution.MigrationTimeouts.IsValidInterval(configured.DdlLockTimeout) ? configured.DdlLockTimeout : "5s",
            };
        });
        services.TryAddSingleton<MigrationActivator>();
        services.TryAddSingleton(sp => new MigrationExecutor(sp.GetRequiredService<CodeMigrationsOptions>()));
        services.TryAddSingleton(sp => new MigrationStatusProbe(
            sp.GetRequiredService<MigrationCatalogSource>(),
            sp.GetRequiredService<MigrationConnectionFactory>(),
            sp.GetRequiredService<MigrationHistory>(),
            sp.GetRequiredService<MigrationActivator>(),
            sp.GetRequiredService<IServiceScopeFactory>()));
        // Logging is optional: without AddLogging the runner stays silent instead of failing to resolve.
        services.TryAddSingleton<IMigrationRunner>(sp => new MigrationRunner(
            sp.GetRequiredService<CodeMigrationsOptions>(),
            sp.GetRequiredService<MigrationCatalogSource>(),
            sp.GetRequiredService<MigrationConnectionFactory>(),
            sp.GetRequiredService<MigrationHistory>(),
            sp.GetRequiredService<MigrationActivator>(),
            sp.GetRequiredService<MigrationExecutor>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            new MigrationRunReporter(sp.GetServices<IMigrationObserver>(),
                (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<MigrationRunner>())));
        return services;
    }
}
