using CodeMigrations.Execution;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Verification;

/// <summary>
/// Creates, describes and runs migrations on a scratch database, without a history table: what <c>verify</c> and
/// <c>drift</c> need. A fresh instance is created for every run, as the runner does, in one dependency-injection scope.
/// </summary>
internal sealed class ScratchMigrations : IAsyncDisposable
{
    private readonly AsyncServiceScope? _scope;
    private readonly IServiceProvider _services;
    private readonly MigrationActivator _activator;
    private readonly MigrationExecutor _executor;

    /// <param name="services">The services migrations are created from.</param>
    /// <param name="activator">Creates the migrations.</param>
    /// <param name="executor">Runs them, with the command, lock and statement timeouts of a real run.</param>
    public ScratchMigrations(IServiceProvider services, MigrationActivator activator, MigrationExecutor executor)
    {
        _activator = activator;
        _executor = executor;
        if (services.GetService(typeof(IServiceScopeFactory)) is IServiceScopeFactory scopes)
        {
            _scope = scopes.CreateAsyncScope();
            _services = _scope.Value.ServiceProvider;
        }
        else
        {
            _services = services;
        }

    }

    /// <summary>Creates the migration and describes it for <paramref name="direction"/>.</summary>
    /// <exception cref="InvalidMigrationException">It could not be created, threw while describing, or cannot run as declared.</exception>
    public PreparedMigration Prepare(MigrationInfo info, MigrationDirection direction) => _activator.Prepare(info, direction, _services);

    /// <summary>Runs the migration's steps: in a transaction, unless the migration opts out.</summary>
    /// <exception cref="MigrationFailedException">A step failed.</exception>
    public Task RunAsync(NpgsqlConnection connection, PreparedMigration migration, MigrationDirection direction, CancellationToken cancellationToken)
    {
        // An empty Down ("PostgreSQL cannot drop an enum value") is a legal migration: nothing to send.
        if (migration.Steps.Count == 0)
            return Task.CompletedTask;
        return migration.Info.UseTransaction
            ? _executor.ExecuteInTransactionAsync(connection, migration, direction, [], _services, cancellationToken)
            : _executor.ExecuteWithoutTransactionAsync(connection, migration, direction, _services, cancellationToken);
    }

    /// <summary>
    /// Runs a migration that uses a transaction inside <paramref name="outer"/>, which the caller commits or rolls back
    /// (on failure too): verify's round trip, undone afterwards.
    /// </summary>
    /// <exception cref="InvalidMigrationException">It could not be created or described.</exception>
    /// <exception cref="MigrationFailedException">A step failed; <paramref name="outer"/> is then aborted.</exception>
    public async Task RunInsideAsync(NpgsqlConnection connection, MigrationInfo info, MigrationDirection direction, NpgsqlTransaction outer,
        CancellationToken cancellationToken)
    {
        var migration = Prepare(info, direction);
        if (migration.Steps.Count > 0)
            await _executor.ExecuteInTransactionAsync(connection, migration, direction, [], _services, cancellationToken, outer);
    }

    /// <summary>
    /// Applies migrations back to back in one round trip (the executor's pipeline), each in its own transaction ending
    /// with <c>DISCARD TEMP</c>, as if each ran in a session of its own. Only for migrations of plain SQL in a transaction.
    /// </summary>
    /// <exception cref="MigrationFailedException">One failed; the ones before it are applied, none after it ran.</exception>
    public Task ApplyPipelineAsync(NpgsqlConnection connection, IReadOnlyList<PreparedMigration> migrations, CancellationToken cancellationToken) =>
        _executor.ExecutePipelineAsync(connection, migrations, MigrationDirection.Up,
            migrations.Select(_ => new NpgsqlBatchCommand("DISCARD TEMP")).ToList(), _ => { }, _ => { }, cancellationToken);

    /// <summary>Whether a migration can go into <see cref="ApplyPipelineAsync"/>: SQL steps without parameters, in a transaction.</summary>
    public static bool CanPipeline(PreparedMigration migration) =>
        migration.Info.UseTransaction && migration.Steps.Count > 0 && migration.Steps.All(s => s is SqlStep { Parameters: null });

    /// <summary>Describes and runs the migration in one call.</summary>
    /// <exception cref="InvalidMigrationException">It could not be created or described.</exception>
    /// <exception cref="MigrationFailedException">A step failed.</exception>
    public async Task RunAsync(NpgsqlConnection connection, MigrationInfo info, MigrationDirection direction, CancellationToken cancellationToken) =>
        await RunAsync(connection, Prepare(info, direction), direction, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_scope is { } scope)
            await scope.DisposeAsync();
    }

    /// <summary>A service provider that provides nothing: migrations then need a constructor without services.</summary>
    internal sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
