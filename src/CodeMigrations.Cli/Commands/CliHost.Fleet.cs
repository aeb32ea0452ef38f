using CodeMigrations.Cli.Fleet;
using CodeMigrations.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands;

/// <summary>What a fleet run (<c>--targets</c>, <c>--targets-query</c>) needs of the host: the services of each target.</summary>
internal sealed partial class CliHost
{
    /// <summary>The command line's own connection string (<c>--connection</c> or the environment variable), if any.</summary>
    public string? CommandLineConnection => _context.Globals.GetConnection(_parse)?.ConnectionString;

    /// <summary>
    /// The services for one database of a fleet, built as <see cref="GetServicesAsync"/> builds them for one (the host's
    /// services, then its configuration and the command line's options), connected to <paramref name="target"/> alone.
    /// </summary>
    /// <remarks>
    /// What is the same for every target comes from <paramref name="shared"/>, made once per run: the loaded migrations
    /// and the activator that describes each of them once. The container, data source, lock and history stay the target's.
    /// </remarks>
    public IServiceProvider CreateTargetServices(MigrationTarget target, IMigrationObserver? observer, FleetSharedParts shared)
    {
        var services = new ServiceCollection();
        Options.ConfigureServices?.Invoke(services);
        if (observer is not null)
            services.AddSingleton(observer);
        CodeMigrationsOptions options;
        lock (_parse)
            options = ConfigureMigrations(services);
        options.ConnectionString = target.ConnectionString;
        options.DataSource = null;
        services.AddCodeMigrationsVerification();
        shared.AddTo(services, options);
        return services.BuildServiceProvider();
    }

    /// <summary>Runs the verb on every target the command line names, when it names any; <see langword="null"/> otherwise.</summary>
    private Task<int>? RunFleetAsync(CancellationToken cancellationToken) =>
        _verb.Fleet is { } fleet && fleet.IsRequested(_parse) ? new FleetRunner(this, _verb, fleet).RunAsync(cancellationToken) : null;
}
