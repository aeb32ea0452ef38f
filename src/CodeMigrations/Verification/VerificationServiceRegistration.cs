using CodeMigrations.Loading;
using CodeMigrations.Running;
using CodeMigrations.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeMigrations.Verification;

/// <summary>
/// Registers <see cref="SchemaReader"/>, <see cref="MigrationVerifier"/> and <see cref="DriftDetector"/> on top of what
/// <c>AddCodeMigrations</c> registers (the options, the catalog source and the connection factory), sharing them.
/// </summary>
internal static class VerificationServiceRegistration
{
    public static IServiceCollection AddVerification(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SchemaReader(
            sp.GetRequiredService<CodeMigrationsOptions>(),
            sp.GetRequiredService<MigrationConnectionFactory>()));
        services.TryAddSingleton(sp => new MigrationVerifier(
            sp.GetRequiredService<CodeMigrationsOptions>(),
            sp.GetRequiredService<MigrationCatalogSource>(),
            sp.GetRequiredService<MigrationConnectionFactory>(),
            sp));
        services.TryAddSingleton(sp => new DriftDetector(
            sp.GetRequiredService<CodeMigrationsOptions>(),
            sp.GetRequiredService<MigrationCatalogSource>(),
            sp.GetRequiredService<MigrationConnectionFactory>(),
            sp));
        return services;
    }
}
