using System.Diagnostics.Metrics;
using CodeMigrations;
using CodeMigrations.Hosting;
using CodeMigrations.Hosting.Configuration;
using CodeMigrations.Hosting.Startup;
using CodeMigrations.Hosting.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CodeMigrations from configuration, and what it does while the host starts.</summary>
public static class CodeMigrationsHostingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMigrationRunner"/> configured the way Microsoft.Extensions libraries are: the
    /// <c>CodeMigrations</c> section binds onto <see cref="CodeMigrationsOptions"/> (<c>HistorySchema</c>,
    /// <c>HistoryTable</c>, <c>LockTimeout</c>, <c>DdlLockTimeout</c>, <c>StatementTimeout</c>, <c>CommandTimeout</c>,
    /// <c>ValidateChecksumsOnUp</c>, <c>DurableEach</c>, <c>ApplicationName</c>) and onto <see cref="CodeMigrationsStartupOptions"/>
    /// (<c>OnStartup</c>, <c>WaitTimeout</c>, <c>WaitPollInterval</c>). The database is, in this order: what
    /// <paramref name="configure"/> sets, an <c>NpgsqlDataSource</c> registered in the container (one pool with the
    /// application), or the connection string <c>ConnectionStrings:Default</c> (another name with
    /// <c>CodeMigrations:ConnectionStringName</c>). Everything is validated when the host starts: a bad value stops it
    /// with a message naming the key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration, for example <c>builder.Configuration</c>.</param>
    /// <param name="configure">Runs after binding: adds the assemblies holding migrations, and overrides any setting.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddCodeMigrations(builder.Configuration, o => o.Assemblies.Add(typeof(CreateUsersTable).Assembly));
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrations(this IServiceCollection services, IConfiguration configuration, Action<CodeMigrationsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<CodeMigrationsOptions>()
            .Configure(o => CodeMigrationsConfiguration.Bind(configuration, o))
            .Configure(configure)
            .PostConfigure<IServiceProvider>((o, provider) => HostedConnection.Resolve(o, configuration, provider))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeMigrationsOptions>>(new CodeMigrationsOptionsValidator(configuration)));
        services.AddOptions<CodeMigrationsStartupOptions>()
            .Bind(configuration.GetSection(CodeMigrationsConfiguration.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeMigrationsStartupOptions>, CodeMigrationsStartupOptionsValidator>());

        // The core's registration keeps a CodeMigrationsOptions already registered (TryAdd): this one, from the options
        // pattern. The delegate it is given therefore has nothing to do.
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<CodeMigrationsOptions>>().Value);
        AddTelemetry(services);
        return services.AddCodeMigrations(_ => { });
    }

    /// <summary>
    /// Runs the on-start mode (<see cref="CodeMigrationsStartupOptions.OnStartup"/>, key <c>CodeMigrations:OnStartup</c>,
    /// default <see cref="MigrationStartupMode.Migrate"/>) before the host starts serving, in
    /// <see cref="IHostedLifecycleService.StartingAsync"/>: migrate, wait for the migrations, validate, or nothing. A
    /// failure stops the host's start with the runner's exception (which names the migration, statement and SQLSTATE);
    /// the host's shutdown during start cancels the run, rolling back the migration in flight.
    /// </summary>
    /// <param name="services">The service collection; register the runner too (<c>AddCodeMigrations</c>).</param>
    /// <param name="configure">Sets the mode or the wait in code; runs after the configuration is bound, so it wins.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddCodeMigrationsOnStartup(o => o.OnStartup = MigrationStartupMode.Wait);
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrationsOnStartup(this IServiceCollection services, Action<CodeMigrationsStartupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CodeMigrationsStartupOptions>().ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeMigrationsStartupOptions>, CodeMigrationsStartupOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        AddTelemetry(services);
        services.TryAddSingleton<MigrationWaiter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MigrationStartupService>());
        return services;
    }

    /// <summary>
    /// Runs the on-start mode for the database registered under <paramref name="serviceKey"/>
    /// (<c>AddCodeMigrations(serviceKey, o => ...)</c>), with that key's runner, before the host starts serving, as
    /// <see cref="AddCodeMigrationsOnStartup(IServiceCollection, Action{CodeMigrationsStartupOptions}?)"/> does for the
    /// unkeyed one: call it once per key, and each database is migrated (or waited for, or validated) on its own, in the
    /// order of the calls. A failure stops the host's start with that database's exception.
    /// </summary>
    /// <remarks>
    /// Each key has its own <see cref="CodeMigrationsStartupOptions"/>, the named options
    /// <c>serviceKey.ToString()</c>: the mode is <see cref="MigrationStartupMode.Migrate"/> unless
    /// <paramref name="configure"/> (or <c>services.Configure&lt;CodeMigrationsStartupOptions&gt;(name, ...)</c>) sets
    /// another; the <c>CodeMigrations</c> configuration section applies to the unkeyed registration only.
    /// </remarks>
    /// <param name="services">The service collection; register the keyed runner too (<c>AddCodeMigrations(serviceKey, ...)</c>).</param>
    /// <param name="serviceKey">The database's key, as given to <c>AddCodeMigrations</c>, e.g. <c>"billing"</c>.</param>
    /// <param name="configure">Sets this database's mode or wait.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The on-start run is already registered for <paramref name="serviceKey"/>.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddCodeMigrations("billing", o => { o.ConnectionString = billing; o.Assemblies.Add(typeof(CreateInvoices).Assembly); });
    /// builder.Services.AddCodeMigrationsOnStartup("billing");
    /// builder.Services.AddHealthChecks().AddKeyedCodeMigrations("billing");
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrationsOnStartup(this IServiceCollection services, object serviceKey, Action<CodeMigrationsStartupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(MigrationStartupService) && Equals(d.ServiceKey, serviceKey)))
            throw new InvalidOperationException($"AddCodeMigrationsOnStartup was called twice with the key '{serviceKey}': the database is migrated on start once.");
        var name = OptionsName(serviceKey);
        var options = services.AddOptions<CodeMigrationsStartupOptions>(name).ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CodeMigrationsStartupOptions>, CodeMigrationsStartupOptionsValidator>());
        AddTelemetry(services);
        services.AddKeyedSingleton(serviceKey, (provider, key) =>
        {
            var runner = provider.GetRequiredKeyedService<IMigrationRunner>(key);
            var time = provider.GetRequiredService<TimeProvider>();
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            return new MigrationStartupService(() => provider.GetRequiredService<IOptionsMonitor<CodeMigrationsStartupOptions>>().Get(name), runner,
                new MigrationWaiter(runner, time, loggers.CreateLogger<MigrationWaiter>()), provider.GetRequiredService<MigrationTelemetryObserver>(),
                loggers.CreateLogger<MigrationStartupService>());
        });
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<MigrationStartupService>(serviceKey));
        return services;
    }

    /// <summary>The name of a keyed database's options: its key as text.</summary>
    internal static string OptionsName(object serviceKey) =>
        Convert.ToString(serviceKey, System.Globalization.CultureInfo.InvariantCulture) ?? throw new ArgumentException("The key has no text form.", nameof(serviceKey));

    /// <summary>Spans and metrics named <c>CodeMigrations</c> (see <c>MigrationTelemetry</c>), free when nobody listens.</summary>
    private static void AddTelemetry(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new MigrationMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton<MigrationTelemetryObserver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMigrationObserver, MigrationTelemetryObserver>(provider => provider.GetRequiredService<MigrationTelemetryObserver>()));
    }
}
