using System.Reflection;
using CodeMigrations.Execution;

namespace CodeMigrations.Linting;

/// <summary>Turns described migrations into what <see cref="MigrationLinter"/> reads.</summary>
public static class MigrationLintInputs
{
    /// <summary>The lint input of a migration described for Up: the SQL of its steps, and its <see cref="AllowUnsafeAttribute"/>s.</summary>
    /// <param name="up">The migration, described for <see cref="MigrationDirection.Up"/> (<see cref="MigrationActivator.DescribeUp"/>).</param>
    /// <returns>The input for <see cref="MigrationLinter.Lint"/>.</returns>
    public static MigrationLintInput From(PreparedMigration up)
    {
        ArgumentNullException.ThrowIfNull(up);
        var info = up.Info;
        var steps = up.Steps.Select(step => step is SqlStep sql ? sql.Sql : null).ToList();
        var allowances = info.Type.GetCustomAttributes<AllowUnsafeAttribute>(inherit: false)
            .Select(a => new LintAllowance(a.Rule, a.Reason))
            .ToList();
        return new MigrationLintInput(info.Version, info.TypeName, steps, allowances);
    }

    /// <summary>Describes the Up of each of <paramref name="migrations"/> and returns their lint inputs, in the same order.</summary>
    /// <param name="migrations">The migrations, oldest first.</param>
    /// <param name="activator">Creates each migration.</param>
    /// <param name="services">The services their constructors may take.</param>
    /// <returns>The inputs for <see cref="MigrationLinter.Lint"/>.</returns>
    /// <exception cref="InvalidMigrationException">A migration could not be created or threw while describing its Up.</exception>
    public static IReadOnlyList<MigrationLintInput> Describe(IEnumerable<MigrationInfo> migrations, MigrationActivator activator, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(activator);
        ArgumentNullException.ThrowIfNull(services);
        return migrations.Select(m => From(activator.DescribeUp(m, services))).ToList();
    }
}
