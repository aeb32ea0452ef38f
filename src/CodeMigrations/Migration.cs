namespace CodeMigrations;

/// <summary>
/// The base class of every migration: override <see cref="Up"/> and <see cref="Down"/> to describe the change as steps.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Up"/> and <see cref="Down"/> only describe: each <c>Execute</c> call adds a step, and nothing touches the
/// database while they run. The runner then executes the steps in one transaction together with the history row, so a
/// migration is applied completely or not at all. Because a migration is a list of steps first, the same class can be
/// applied, reverted, checksummed and printed.
/// </para>
/// <para>
/// Migrations are created through dependency injection for each run: a constructor may take registered services.
/// </para>
/// </remarks>
public abstract class Migration
{
    private List<MigrationStep>? _steps;

    /// <summary>Describes the change: call <see cref="Execute(string, object?)"/> for each step.</summary>
    public abstract void Up();

    /// <summary>Describes how to revert <see cref="Up"/> exactly: the schema afterwards must be the schema before.</summary>
    public abstract void Down();

    /// <summary>Adds a SQL step. The text may hold several statements separated by <c>;</c>.</summary>
    /// <param name="sql">The SQL to run.</param>
    /// <param name="param">Dapper parameters (an anonymous object, a POCO or <c>DynamicParameters</c>), referenced as <c>@name</c>.</param>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Up"/> or <see cref="Down"/>.</exception>
    protected void Execute(string sql, object? param = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Steps.Add(new SqlStep(sql, param));
    }

    /// <summary>
    /// Adds a code step: it receives the open connection and the migration's transaction, for data work with Dapper.
    /// </summary>
    /// <param name="step">The work to do; use <see cref="MigrationContext.Transaction"/> on every command.</param>
    /// <param name="name">A stable name for the step, used in errors and in the checksum.</param>
    /// <exception cref="InvalidOperationException">Called outside <see cref="Up"/> or <see cref="Down"/>.</exception>
    protected void Execute(Func<MigrationContext, Task> step, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        Steps.Add(new CodeStep(step, name));
    }

    /// <summary>
    /// Adds a SQL step read from a <c>.sql</c> file embedded in the migration's assembly: the whole file, or the section
    /// after its <c>-- Up</c> or <c>-- Down</c> marker line (case and text after the marker are ignored:
    /// <c>-- Up: apply</c>). Statements are sent as psql would send them.
    /// </summary>
    /// <param name="name">The file name (<c>20230915120000_create_users.sql</c>) or the resource's full manifest name.</param>
    /// <param name="section">Which part of the file to run.</param>
    /// <param name="param">Dapper parameters, as for <see cref="Execute(string, object?)"/>.</param>
    /// <exception cref="MigrationScriptException">No resource or several match the name; the section is missing, empty or commented out.</exception>
    protected void ExecuteScript(string name, ScriptSection section = ScriptSection.Whole, object? param = null) =>
        Steps.Add(new SqlStep(Scripts.MigrationScripts.Read(GetType().Assembly, name, section), param));

    private List<MigrationStep> Steps => _steps ?? throw new InvalidOperationException(
        $"{GetType().Name}: Execute can only be called from Up() or Down(), which the runner calls to collect the steps.");

    /// <summary>Calls <see cref="Up"/> or <see cref="Down"/> and returns the steps it described.</summary>
    internal IReadOnlyList<MigrationStep> DescribeSteps(MigrationDirection direction)
    {
        _steps = [];
        try
        {
            if (direction == MigrationDirection.Up)
                Up();
            else
                Down();
            return _steps;
        }
        finally
        {
            _steps = null;
        }
    }
}
