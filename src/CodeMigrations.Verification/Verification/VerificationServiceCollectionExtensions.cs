using CodeMigrations;
using CodeMigrations.Running;
using CodeMigrations.Schema;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the verification services of CodeMigrations in a service collection.</summary>
public static class VerificationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SchemaReader"/> (<c>schema</c>), <see cref="MigrationVerifier"/> (<c>verify</c>) and
    /// <see cref="DriftDetector"/> (<c>drift</c>) on top of what <c>AddCodeMigrations</c> registers (the options, the
    /// catalog source, the connection factory, the history table, the activator and the executor), sharing them.
    /// </summary>
    /// <param name="services">A service collection on which <c>AddCodeMigrations</c> was called.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// services.AddCodeMigrations(o => { ... }).AddCodeMigrationsVerification();
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrationsVerification(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new SchemaReader(
            sp.GetRequiredService<CodeMigrationsOptions>(),
            sp.GetRequiredService<MigrationConnectionFactory>()));
        services.TryAddSingleton(sp => new MigrationVerifier(ScratchRunParts.Registered(sp)));
        services.TryAddSingleton(sp => new DriftDetector(ScratchRunParts.Registered(sp)));
        return services;
    }

    /// <summary>
    /// Adds <see cref="SchemaReader"/>, <see cref="MigrationVerifier"/> and <see cref="DriftDetector"/> for the database
    /// registered under <paramref name="serviceKey"/> (<c>AddCodeMigrations(serviceKey, o => ...)</c>), each under the
    /// same key and sharing that key's options, migrations, connections and history table: resolve them with
    /// <c>GetRequiredKeyedService&lt;MigrationVerifier&gt;(serviceKey)</c> or <c>[FromKeyedServices(serviceKey)]</c>.
    /// </summary>
    /// <param name="services">A service collection on which <c>AddCodeMigrations(serviceKey, ...)</c> was called.</param>
    /// <param name="serviceKey">The database's key, e.g. <c>"billing"</c>.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <example>
    /// <code>
    /// services.AddCodeMigrations("billing", o => { ... }).AddCodeMigrationsVerification("billing");
    /// var drift = await provider.GetRequiredKeyedService&lt;DriftDetector&gt;("billing").DetectAsync();
    /// </code>
    /// </example>
    public static IServiceCollection AddCodeMigrationsVerification(this IServiceCollection services, object serviceKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => new SchemaReader(
            sp.GetRequiredKeyedService<CodeMigrationsOptions>(key),
            sp.GetRequiredKeyedService<MigrationConnectionFactory>(key)));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => new MigrationVerifier(ScratchRunParts.Registered(sp, key!)));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => new DriftDetector(ScratchRunParts.Registered(sp, key!)));
        return services;
    }
}
