using CodeMigrations.Execution;
using CodeMigrations.Loading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeMigrations.Cli.Fleet;

/// <summary>
/// What every target of a fleet run has in common, made once per run and handed to each target's container as an
/// instance: the loaded migrations (<see cref="MigrationCatalogSource"/>: the assemblies read and the set validated
/// once) and an activator that describes each migration's Up once (<see cref="MigrationActivator(bool)"/>: created,
/// described and checksummed once, not once per database). Everything that is a database's own (options, data source,
/// lock, history, outcome) stays in the target's container.
/// </summary>
internal sealed class FleetSharedParts : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private MigrationCatalogSource? _catalog;
    private ServiceProvider? _validation;

    /// <summary>The activator every target creates and describes its migrations with.</summary>
    public MigrationActivator Activator { get; } = new(shareDescriptions: true);

    /// <summary>
    /// Puts the shared parts into one target's <paramref name="services"/>, in place of its own. Every target is configured
    /// from the same command line and configuration, so the first target's migrations (assemblies and type filter) are
    /// every target's; only the connection differs.
    /// </summary>
    public void AddTo(IServiceCollection services, CodeMigrationsOptions options)
    {
        lock (_lock)
        {
            if (_catalog is null)
            {
                // A container of the first target's registrations, kept for the run, tells the loader which constructor
                // parameters can be resolved (as each target's own container would).
                _validation = services.BuildServiceProvider();
                _catalog = new MigrationCatalogSource(options, _validation.GetService<IServiceProviderIsService>());
            }
        }

        services.Replace(ServiceDescriptor.Singleton(_catalog));
        services.Replace(ServiceDescriptor.Singleton(Activator));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _validation?.DisposeAsync() ?? ValueTask.CompletedTask;
}
