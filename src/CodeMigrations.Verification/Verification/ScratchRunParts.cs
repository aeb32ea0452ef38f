using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Verification;

/// <summary>
/// What <c>verify</c> and <c>drift</c> share: the configuration, the migrations, the target's connections, the history
/// table, and the activator and executor that create and run migrations on a scratch database. Taken from what
/// <c>AddCodeMigrations</c> registered, or, for a verifier or detector created by hand, made from its options alone.
/// </summary>
internal sealed class ScratchRunParts
{
    private readonly MigrationConnectionFactory? _connections;
    private readonly MigrationActivator _activator;
    private readonly MigrationExecutor _executor;
    private readonly IServiceProvider _services;

    private ScratchRunParts(CodeMigrationsOptions options, MigrationCatalogSource catalog, MigrationConnectionFactory? connections,
        MigrationHistory history, MigrationActivator activator, MigrationExecutor executor, IServiceProvider services)
    {
        Options = options;
        Catalog = catalog;
        _connections = connections;
        History = history;
        _activator = activator;
        _executor = executor;
        _services = services;
    }

    public CodeMigrationsOptions Options { get; }

    public MigrationCatalogSource Catalog { get; }

    public MigrationHistory History { get; }

    /// <summary>Parts of its own for a verifier or detector created by hand; migrations are created from <paramref name="services"/>, when given.</summary>
    public static ScratchRunParts For(CodeMigrationsOptions options, IServiceProvider? services)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ScratchRunParts(options, new MigrationCatalogSource(options, services?.GetService<IServiceProviderIsService>()), connections: null,
            new MigrationHistory(options.HistorySchema, options.HistoryTable), new MigrationActivator(), new MigrationExecutor(options),
            services ?? ScratchMigrations.NoServices.Instance);
    }

    /// <summary>The parts <c>AddCodeMigrations</c> registered in <paramref name="services"/>, shared with the runner.</summary>
    public static ScratchRunParts Registered(IServiceProvider services) => new(
        services.GetRequiredService<CodeMigrationsOptions>(),
        services.GetRequiredService<MigrationCatalogSource>(),
        services.GetRequiredService<MigrationConnectionFactory>(),
        services.GetRequiredService<MigrationHistory>(),
        services.GetRequiredService<MigrationActivator>(),
        services.GetRequiredService<MigrationExecutor>(),
        services);

    /// <summary>The parts <c>AddCodeMigrations(serviceKey, ...)</c> registered under <paramref name="serviceKey"/>, shared with that key's runner.</summary>
    public static ScratchRunParts Registered(IServiceProvider services, object serviceKey) => new(
        services.GetRequiredKeyedService<CodeMigrationsOptions>(serviceKey),
        services.GetRequiredKeyedService<MigrationCatalogSource>(serviceKey),
        services.GetRequiredKeyedService<MigrationConnectionFactory>(serviceKey),
        services.GetRequiredKeyedService<MigrationHistory>(serviceKey),
        services.GetRequiredService<MigrationActivator>(),
        services.GetRequiredKeyedService<MigrationExecutor>(serviceKey),
        services);

    /// <summary>The target's connections for one call: the registered factory, or one of the call's own that the lease disposes.</summary>
    public ConnectionsLease LeaseConnections() => new(_connections ?? new MigrationConnectionFactory(Options), owned: _connections is null);

    /// <summary>Creates and runs the migrations of one verify or drift run, in a dependency-injection scope of its own.</summary>
    public ScratchMigrations CreateMigrations() => new(_services, _activator, _executor);

    /// <summary>A connection factory for one call, disposed with the lease when the call made it.</summary>
    public readonly struct ConnectionsLease : IAsyncDisposable
    {
        private readonly bool _owned;

        public ConnectionsLease(MigrationConnectionFactory factory, bool owned)
        {
            Factory = factory;
            _owned = owned;
        }

        public MigrationConnectionFactory Factory { get; }

        public ValueTask DisposeAsync() => _owned ? Factory.DisposeAsync() : ValueTask.CompletedTask;
    }
}
