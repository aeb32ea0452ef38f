using System.Reflection;
using CodeMigrations.Verification;

namespace CodeMigrations.Testing;

/// <summary>
/// Checks, for a test suite (NUnit, xUnit, MSTest alike), that every migration's Down reverses its Up: each migration is
/// applied and reverted on a scratch database of a <see cref="PostgresServer"/>, and the schema before Up is compared
/// with the schema after Down. It asserts nothing itself; assert that the problems it returns are none:
/// <code>
/// var server = await TestPostgres.GetServerAsync();
/// Assert.That(await ReversibilityCheck.FindProblemsAsync(server, typeof(CreateUsersTable).Assembly), Is.Empty);
/// </code>
/// Each problem is one sentence naming the migration and the difference, e.g. <c>Migration 2 AddCurrencyAndFreeBooks:
/// Down does not restore the schema from before Up: default of column books.price differs: expected none, found 0.</c>
/// </summary>
/// <remarks>
/// A thin wrapper over <see cref="MigrationVerifier"/> (what the <c>verify</c> command runs), which also gives each
/// migration's outcome and timing. The scratch database is created on the given server and dropped afterwards.
/// </remarks>
public static class ReversibilityCheck
{
    /// <summary>Checks every migration class of <paramref name="assemblies"/>.</summary>
    /// <param name="server">The server to create the scratch database on.</param>
    /// <param name="assemblies">Where the migrations are.</param>
    /// <returns>The problems; empty when every migration's Down reverses its Up.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static Task<IReadOnlyList<VerificationProblem>> FindProblemsAsync(PostgresServer server, params Assembly[] assemblies) =>
        FindProblemsAsync(server, o => AddAssemblies(o, assemblies));

    /// <summary>Checks the migration classes of <paramref name="assemblies"/> that <paramref name="typeFilter"/> keeps.</summary>
    /// <param name="server">The server to create the scratch database on.</param>
    /// <param name="typeFilter">Keeps the types it returns <see langword="true"/> for, e.g. one namespace.</param>
    /// <param name="assemblies">Where the migrations are.</param>
    /// <returns>The problems; empty when every migration's Down reverses its Up.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static Task<IReadOnlyList<VerificationProblem>> FindProblemsAsync(PostgresServer server, Func<Type, bool> typeFilter,
        params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(typeFilter);
        return FindProblemsAsync(server, o =>
        {
            AddAssemblies(o, assemblies);
            o.TypeFilter = typeFilter;
        });
    }

    /// <summary>Checks the migrations <paramref name="configure"/> names, with services for their constructors.</summary>
    /// <param name="server">The server to create the scratch database on; its connection string is set before <paramref name="configure"/> runs.</param>
    /// <param name="configure">Adds the assemblies, and sets the type filter or the command timeout.</param>
    /// <param name="services">Creates migrations whose constructors take services; <see langword="null"/> when none do.</param>
    /// <param name="cancellationToken">Stops the run; the scratch database is dropped all the same.</param>
    /// <returns>The problems; empty when every migration's Down reverses its Up.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set.</exception>
    /// <exception cref="MigrationDatabaseException">The scratch database could not be created or used.</exception>
    public static async Task<IReadOnlyList<VerificationProblem>> FindProblemsAsync(PostgresServer server, Action<CodeMigrationsOptions> configure,
        IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CodeMigrationsOptions { ConnectionString = server.ConnectionString, ApplicationName = "CodeMigrations verify" };
        configure(options);
        var result = await new MigrationVerifier(options, services).VerifyAsync(cancellationToken: cancellationToken);
        return result.Problems;
    }

    private static void AddAssemblies(CodeMigrationsOptions options, Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        foreach (var assembly in assemblies)
            options.Assemblies.Add(assembly);
    }
}
