using System.Collections.Concurrent;
using System.Reflection;
using CodeMigrations.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Execution;

/// <summary>
/// Creates migration instances from the services of a dependency-injection scope, so that a constructor may take any
/// registered service: the one place a migration is created, for runs and checks, <c>verify</c>, <c>drift</c> and
/// imports alike. A fresh instance each time: <c>Up()</c> and <c>Down()</c> describe their steps on it.
/// </summary>
/// <remarks>
/// Registered by <c>AddCodeMigrations</c>; it holds no state, so one instance serves every scope. A process that runs
/// the same migrations on many databases (a fleet) can share one activator made with <c>shareDescriptions</c> between
/// the databases' containers, so that each migration is created and described once, not once per database.
/// </remarks>
public sealed class MigrationActivator
{
    // Described Ups by class, when shared: only those that cannot differ from one database's container to another's.
    private readonly ConcurrentDictionary<Type, PreparedMigration>? _sharedUps;

    /// <summary>An activator that creates a fresh instance for every description (the default).</summary>
    public MigrationActivator()
    {
    }

    /// <summary>
    /// An activator that, with <paramref name="shareDescriptions"/>, keeps the described Up of each migration whose
    /// class takes no service in its constructor and whose steps are all SQL without parameters, and hands that same
    /// description (steps and checksum) to every later caller: what such a migration describes cannot depend on the
    /// container or the database it runs on. Migrations that take services, have code steps or parameters are still
    /// created and described afresh each time, since a container of another database may give them other services and
    /// a run may keep state on the instance.
    /// </summary>
    /// <param name="shareDescriptions">Share described Ups between callers (for a fleet); <see langword="false"/> is the default activator.</param>
    public MigrationActivator(bool shareDescriptions) => _sharedUps = shareDescriptions ? new ConcurrentDictionary<Type, PreparedMigration>() : null;

    /// <summary>Creates an instance of <paramref name="migration"/>'s class.</summary>
    /// <param name="migration">The migration to create.</param>
    /// <param name="services">The services its constructor may take: the run's scope.</param>
    /// <returns>A new instance.</returns>
    /// <exception cref="InvalidMigrationException">
    /// It could not be created: its constructor needs a service <paramref name="services"/> does not provide (the message
    /// names the parameter), or the constructor threw.
    /// </exception>
    public Migration Create(MigrationInfo migration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(services);
        var type = migration.Type;
        try
        {
            // Most migrations take no services: the runtime's cached activation is far cheaper than ActivatorUtilities'
            // constructor matching, which matters when a run describes thousands of them.
            if (type.GetConstructor(Type.EmptyTypes) is not null && type.GetConstructors().Length == 1)
                return (Migration)Activator.CreateInstance(type)!;
            return (Migration)ActivatorUtilities.CreateInstance(services, type);
        }
        catch (Exception e)
        {
            var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            // ActivatorUtilities says which service it missed, not for which parameter nor what to do: the loader does.
            var unsatisfied = cause is InvalidOperationException && e is not TargetInvocationException
                ? new ReflectionMigrationCandidate(type).FindConstructionProblem(services.GetService<IServiceProviderIsService>() ?? new ResolvableBy(services))
                : null;
            throw new InvalidMigrationException(migration, $"Migration {migration} could not be created: {unsatisfied ?? cause.Message} Nothing was run.", cause);
        }
    }

    /// <summary>Creates the migration and describes it for <paramref name="direction"/>, checked and ready to run.</summary>
    /// <param name="migration">The migration to prepare.</param>
    /// <param name="direction">Which of its steps to describe.</param>
    /// <param name="services">The services its constructor may take.</param>
    /// <returns>The prepared migration.</returns>
    /// <exception cref="InvalidMigrationException">It could not be created, threw while describing, or cannot run as declared.</exception>
    public PreparedMigration Prepare(MigrationInfo migration, MigrationDirection direction, IServiceProvider services) =>
        _sharedUps is not null && direction == MigrationDirection.Up
            ? DescribeUp(migration, services).ThrowIfNotRunnable(direction)
            : PreparedMigration.Prepare(migration, Create(migration, services), direction);

    /// <summary>
    /// Creates the migration and describes its Up, with its checksum, without checking that it can run: what a history
    /// row is compared with, or recorded from.
    /// </summary>
    /// <param name="migration">The migration to describe.</param>
    /// <param name="services">The services its constructor may take.</param>
    /// <returns>The described Up.</returns>
    /// <exception cref="InvalidMigrationException">It could not be created, or threw while describing.</exception>
    public PreparedMigration DescribeUp(MigrationInfo migration, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(migration);
        if (_sharedUps is null)
            return PreparedMigration.DescribeOnly(migration, Create(migration, services), MigrationDirection.Up);
        if (_sharedUps.TryGetValue(migration.Type, out var shared))
            return shared.For(migration);
        var described = PreparedMigration.DescribeOnly(migration, Create(migration, services), MigrationDirection.Up);
        if (IsShareable(migration.Type, described))
            _sharedUps.TryAdd(migration.Type, described);
        return described;
    }

    /// <summary>
    /// Whether a described Up is the same in every container: the class is created without services (its only
    /// constructor takes none) and every step is SQL without parameters, so no run can keep state on it.
    /// </summary>
    private static bool IsShareable(Type type, PreparedMigration described)
    {
        if (type.GetConstructors() is not [{ } constructor] || constructor.GetParameters().Length != 0)
            return false;
        foreach (var step in described.Steps)
        {
            if (step is not SqlStep { Parameters: null })
                return false;
        }

        return true;
    }

    /// <summary>Describes the Up of each migration; a migration that cannot be created or described keeps its error instead.</summary>
    internal Dictionary<long, UpDescription> DescribeUpEach(IReadOnlyList<MigrationInfo> migrations, IServiceProvider services)
    {
        var result = new Dictionary<long, UpDescription>(migrations.Count);
        foreach (var migration in migrations)
        {
            try
            {
                result[migration.Version] = new UpDescription(DescribeUp(migration, services), null);
            }
            catch (InvalidMigrationException e)
            {
                result[migration.Version] = new UpDescription(null, e);
            }
        }

        return result;
    }

    /// <summary>Tells a service apart by resolving it, for a provider that cannot tell without (only when reporting an error).</summary>
    private sealed class ResolvableBy(IServiceProvider services) : IServiceProviderIsService
    {
        public bool IsService(Type serviceType) => services.GetService(serviceType) is not null;
    }
}

/// <summary>A migration's Up as described before a run, or why it could not be.</summary>
/// <param name="Prepared">The described Up, with its checksum; <see langword="null"/> when it could not be described.</param>
/// <param name="Error">Why it could not be created or described; <see langword="null"/> when it was.</param>
internal readonly record struct UpDescription(PreparedMigration? Prepared, InvalidMigrationException? Error);
