using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli;

/// <summary>
/// What a console host tells <see cref="MigrationCli"/>: where its migrations are, the services they need, and
/// optionally how to configure CodeMigrations and where the database is when the command line names none.
/// </summary>
/// <example>
/// <code>
/// return await MigrationCli.RunAsync(args, new MigrationCliOptions
/// {
///     Assemblies = { typeof(Program).Assembly },
///     ConfigureServices = services => services.AddSingleton&lt;ISlugGenerator, SlugGenerator&gt;(),
///     ConfigureMigrations = options => options.HistorySchema = "deploy",
/// });
/// </code>
/// </example>
public sealed class MigrationCliOptions
{
    /// <summary>The assemblies that hold the migration classes. At least one is required.</summary>
    public IList<Assembly> Assemblies { get; } = new List<Assembly>();

    /// <summary>
    /// Registers the host's own services, for example those the migrations' constructors take. Runs once per command,
    /// only for a verb that needs the database. Register CodeMigrations itself through
    /// <see cref="ConfigureMigrations"/>, not with <c>AddCodeMigrations</c> here.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>
    /// Configures CodeMigrations (history table, timeouts, a type filter, a connection string or data source from the
    /// host's own configuration). The command line's options are applied after it and win: <c>--connection</c>,
    /// <c>--history-schema</c>, <c>--history-table</c> and <c>--lock-timeout</c>.
    /// </summary>
    public Action<CodeMigrationsOptions>? ConfigureMigrations { get; set; }

    /// <summary>
    /// The configuration CodeMigrations reads its settings from, under <see cref="ConfigureMigrations"/> and the command
    /// line: the <c>CodeMigrations</c> section (<c>HistorySchema</c>, <c>HistoryTable</c>, <c>LockTimeout</c>,
    /// <c>DdlLockTimeout</c>, <c>StatementTimeout</c>, <c>CommandTimeout</c>, <c>ValidateChecksumsOnUp</c>, <c>DurableEach</c>,
    /// <c>ApplicationName</c>, <c>ConnectionStringName</c>) and the connection string <c>ConnectionStrings:Default</c>
    /// (used only when neither <c>--connection</c> nor <see cref="MigrationCli.ConnectionEnvironmentVariable"/> gives one).
    /// <see langword="null"/> (the default) reads what an ASP.NET Core application reads: <c>appsettings.json</c> and
    /// <c>appsettings.{Environment}.json</c> (environment from <c>ASPNETCORE_ENVIRONMENT</c>, else
    /// <c>DOTNET_ENVIRONMENT</c>, else <c>Production</c>) in the program's folder and then the current folder, then
    /// environment variables (<c>ConnectionStrings__Default</c>, <c>CodeMigrations__HistorySchema</c>). Pass
    /// <c>new ConfigurationBuilder().Build()</c> to read nothing. A value that is of the wrong type or unusable exits 2
    /// with a message naming the key.
    /// </summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary>
    /// Provides a database when neither <c>--connection</c>, nor the environment variable
    /// <see cref="MigrationCli.ConnectionEnvironmentVariable"/>, nor <see cref="ConfigureMigrations"/>, nor the
    /// <see cref="Configuration"/> gave one: for
    /// example a local server started for the command. It is called only by verbs that need the database, and what it
    /// returns is disposed after the command. Returning <see langword="null"/> keeps the usual "no database configured"
    /// error (exit code 2); throwing <see cref="MigrationCliUsageException"/> replaces that error's message.
    /// </summary>
    public Func<CancellationToken, Task<MigrationCliDatabase?>>? DefaultDatabase { get; set; }

    /// <summary>The first line of <c>--help</c>; <see langword="null"/> keeps a generic description.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// The program's name in usage lines and hints such as "Run 'NAME up --help'"; <see langword="null"/> keeps the
    /// executable's name. For a host started by another program under another name, like the <c>codemigrations</c>
    /// dotnet tool.
    /// </summary>
    public string? ProgramName { get; set; }
}
