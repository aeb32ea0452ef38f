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
    /// <remarks>
    /// One container, one database: calling it again once a runner is registered throws, since the second registration
    /// would otherwise be silently ignored. For several databases in one container, register each with a key
    /// (<see cref="AddCodeMigrations(IServiceCollection, object, Action{CodeMigrationsOptions})"/>).
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection, the assemblies holding migrations, and the history table.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">CodeMigrations is already registered without a key in <paramref name="services"/>.</exception>
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
        if (services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(IMigrationRunner)))
        {
            throw new InvalidOperationException(
                "AddCodeMigrations was called twice without a key: this container already has a migration runner for one database, and a second " +
                "registration would be ignored. To migrate several databases from one container, register each with a key, " +
                "services.AddCodeMigrations(\"tenants\", o => ...), and resolve it with GetRequiredKeyedService<IMigrationRunner>(\"tenants\") " +
                "or [FromKeyedServices(\"tenants\")].");
        }

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
        services.TryAddSingleton(_ => new MigrationActivator());
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

    /// <summary>
    /// Adds CodeMigrations for one of several databases in one container, under <paramref name="serviceKey"/>: a keyed
    /// <see cref="IMigrationRunner"/>, <see cref="MigrationStatusProbe"/>, <see cref="MigrationConnectionFactory"/> and
    /// <see cref="CodeMigrationsOptions"/>, each database with its own options, connection, history table and lock.
    /// Migrations are created from the container, as with the unkeyed registration. Observers registered without a key
    /// see every database; those registered under the key see only this one.
    /// </summary>
    /// <remarks>
    /// The Verification package adds <c>verify</c>, <c>drift</c> and <c>schema</c> under the same key with
    /// <c>AddCodeMigrationsVerification(serviceKey)</c>; the Hosting package migrates it on start with
    /// <c>AddCodeMigrationsOnStartup(serviceKey)</c> and checks it with <c>AddHealthChecks().AddKeyedCodeMigrations(serviceKey)</c>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The database's key, e.g. <c>"billing"</c>.</param>
    /// <param name="configure">Sets the connection, the assemblies holding migrations, and the history table.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A runner is already registered under <paramref name="serviceKey"/>.</exception>
    /// <example>
    /// <code>
    /// services.AddCodeMigrations("billing", o => { o.ConnectionString = billing; o.Assemblies.Add(typeof(CreateInvoices).Assembly); });
    /// services.AddCodeMigrations("catalog", o => { o.ConnectionString = catalog; o.Assemblies.Add(typeof(CreateProducts).Assembly); });
    /// await provider.GetRequiredKeyedService&lt;IMigrationRunner&gt;("billing").UpAsync();
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrations(this IServiceCollection services, object serviceKey, Action<CodeMigrationsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IMigrationRunner) && Equals(d.ServiceKey, serviceKey)))
            throw new InvalidOperationException($"AddCodeMigrations was called twice with the key '{serviceKey}': give each database its own key.");
        var options = new CodeMigrationsOptions();
        configure(options);

        services.AddKeyedSingleton(serviceKey, options);
        services.AddKeyedSingleton(serviceKey, (sp, _) => new MigrationCatalogSource(options, sp.GetService<IServiceProviderIsService>()));
        services.AddKeyedSingleton(serviceKey, (_, _) => new MigrationConnectionFactory(options));
        services.AddKeyedSingleton(serviceKey, (_, _) => new MigrationHistory(options.HistorySchema, options.HistoryTable)
        {
            LockTimeout = CodeMigrations.Execution.MigrationTimeouts.IsValidInterval(options.DdlLockTimeout) ? options.DdlLockTimeout : "5s",
        });
        services.AddKeyedSingleton(serviceKey, (_, _) => new MigrationExecutor(options));
        services.TryAddSingleton(_ => new MigrationActivator());
        services.AddKeyedSingleton(serviceKey, (sp, key) => new MigrationStatusProbe(
            sp.GetRequiredKeyedService<MigrationCatalogSource>(key),
            sp.GetRequiredKeyedService<MigrationConnectionFactory>(key),
            sp.GetRequiredKeyedService<MigrationHistory>(key),
            sp.GetRequiredService<MigrationActivator>(),
            sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddKeyedSingleton<IMigrationRunner>(serviceKey, (sp, key) => new MigrationRunner(
            options,
            sp.GetRequiredKeyedService<MigrationCatalogSource>(key),
            sp.GetRequiredKeyedService<MigrationConnectionFactory>(key),
            sp.GetRequiredKeyedService<MigrationHistory>(key),
            sp.GetRequiredService<MigrationActivator>(),
            sp.GetRequiredKeyedService<MigrationExecutor>(key),
            sp.GetRequiredService<IServiceScopeFactory>(),
            new MigrationRunReporter(sp.GetServices<IMigrationObserver>().Concat(sp.GetKeyedServices<IMigrationObserver>(key)),
                (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<MigrationRunner>())));
        return services;
    }
}
