using System.Reflection;
using CodeMigrations.Verification;

namespace CodeMigrations.Testing;

/// <summary>
/// One call for a test suite (NUnit, xUnit, MSTest alike) that proves every Down reverses its Up, on a scratch database
/// of a <see cref="PostgresServer"/>:
/// <code>
/// Assert.That(await MigrationVerifier.VerifyAsync(server, typeof(CreateUsersTable).Assembly), Is.Empty);
/// </code>
/// The result lists the problems, one sentence each naming the migration and the difference; it is empty when all pass.
/// </summary>
/// <remarks>
/// A thin wrapper over <see cref="CodeMigrations.Verification.MigrationVerifier"/>, which gives each migration's outcome
/// and timing. The scratch database is created on the given server and dropped afterwards.
/// </remarks>
public static class MigrationVerifier
{
    /// <summary>Verifies every migration class of <paramref name="assemblies"/>.</summary>
    /// <param name="server">The server to create the scratch database on.</param>
    /// <param name="assemblies">Where the migrations are.</param>
    /// <returns>The problems; empty when every migration passed.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static Task<IReadOnlyList<VerificationProblem>> VerifyAsync(PostgresServer server, params Assembly[] assemblies) =>
        VerifyAsync(server, o => AddAssemblies(o, assemblies));

    /// <summary>Verifies the migration classes of <paramref name="assemblies"/> that <paramref name="typeFilter"/> keeps.</summary>
    /// <param name="server">The server to create the scratch database on.</param>
    /// <param name="typeFilter">Keeps the types it returns <see langword="true"/> for, e.g. one namespace.</param>
    /// <param name="assemblies">Where the migrations are.</param>
    /// <returns>The problems; empty when every migration passed.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static Task<IReadOnlyList<VerificationProblem>> VerifyAsync(PostgresServer server, Func<Type, bool> typeFilter, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(typeFilter);
        return VerifyAsync(server, o =>
        {
            AddAssemblies(o, assemblies);
            o.TypeFilter = typeFilter;
        });
    }

    /// <summary>Verifies the migrations <paramref name="configure"/> names, with services for their constructors.</summary>
    /// <param name="server">The server to create the scratch database on; its connection string is set before <paramref name="configure"/> runs.</param>
    /// <param name="configure">Adds the assemblies, and sets the type filter or the command timeout.</param>
    /// <param name="services">Creates migrations whose constructors take services; <see langword="null"/> when none do.</param>
    /// <param name="cancellationToken">Stops the run; the scratch database is dropped all the same.</param>
    /// <returns>The problems; empty when every migration passed.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static async Task<IReadOnlyList<VerificationProblem>> VerifyAsync(PostgresServer server, Action<CodeMigrationsOptions> configure,
        IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CodeMigrationsOptions { ConnectionString = server.ConnectionString, ApplicationName = "CodeMigrations verify" };
        configure(options);
        var result = await new Verification.MigrationVerifier(options, services).VerifyAsync(cancellationToken: cancellationToken);
        return result.Problems;
    }

    private static void AddAssemblies(CodeMigrationsOptions options, Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        foreach (var assembly in assemblies)
            options.Assemblies.Add(assembly);
    }
}
