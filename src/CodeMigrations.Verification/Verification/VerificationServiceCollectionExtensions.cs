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
}
