using Microsoft.Extensions.Configuration;

namespace CodeMigrations;

/// <summary>
/// Reads <see cref="CodeMigrationsOptions"/> from <see cref="IConfiguration"/> the way every Microsoft.Extensions library
/// does, so an application, its hosted migrations and its migration console share one configuration: the
/// <c>CodeMigrations</c> section binds onto the options by property name, and the connection string is
/// <c>ConnectionStrings:&lt;name&gt;</c> (name <c>Default</c>, or <c>CodeMigrations:ConnectionStringName</c>).
/// </summary>
/// <example>
/// <code>
/// var options = new CodeMigrationsOptions();
/// CodeMigrationsConfiguration.Bind(configuration, options);
/// var problems = CodeMigrationsConfiguration.Validate(options);
/// </code>
/// </example>
public static class CodeMigrationsConfiguration
{
    /// <summary>The configuration section bound onto <see cref="CodeMigrationsOptions"/>: <c>CodeMigrations</c>.</summary>
    public const string SectionName = "CodeMigrations";

    /// <summary>The key, inside <see cref="SectionName"/>, naming the connection string to use: <c>ConnectionStringName</c>.</summary>
    public const string ConnectionStringNameKey = "ConnectionStringName";

    /// <summary>The connection string's name when <see cref="ConnectionStringNameKey"/> is not set: <c>Default</c>.</summary>
    public const string DefaultConnectionStringName = "Default";

    /// <summary>
    /// Binds the <see cref="SectionName"/> section onto <paramref name="options"/>: <c>HistorySchema</c>,
    /// <c>HistoryTable</c>, <c>LockTimeout</c> (a TimeSpan, e.g. <c>00:05:00</c>), <c>DdlLockTimeout</c>,
    /// <c>StatementTimeout</c> (PostgreSQL intervals), <c>DdlLockRetries</c>, <c>CommandTimeout</c>, <c>ValidateChecksumsOnUp</c>, <c>DurableEach</c>,
    /// <c>ApplicationName</c> and <c>ConnectionString</c>. Keys that are absent leave the current values.
    /// It does not read <c>ConnectionStrings</c>: see <see cref="GetConnectionString"/>.
    /// </summary>
    /// <param name="configuration">The application's configuration (its root, not the section).</param>
    /// <param name="options">The options to fill.</param>
    /// <exception cref="InvalidOperationException">
    /// A value cannot be converted to its property's type; the message names the key (<c>CodeMigrations:LockTimeout</c>)
    /// and the value. Only TimeSpan and boolean settings can fail so, never the connection string, which is text.
    /// </exception>
    public static void Bind(IConfiguration configuration, CodeMigrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        configuration.GetSection(SectionName).Bind(options);
    }

    /// <summary>The name of the connection string: <c>CodeMigrations:ConnectionStringName</c>, else <see cref="DefaultConnectionStringName"/>.</summary>
    /// <param name="configuration">The application's configuration.</param>
    /// <returns>The name under <c>ConnectionStrings</c>.</returns>
    public static string GetConnectionStringName(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName)[ConnectionStringNameKey] is { Length: > 0 } name ? name : DefaultConnectionStringName;
    }

    /// <summary>
    /// The connection string <c>ConnectionStrings:&lt;name&gt;</c> (see <see cref="GetConnectionStringName"/>), or
    /// <see langword="null"/> when it is not set or blank.
    /// </summary>
    /// <param name="configuration">The application's configuration.</param>
    /// <returns>The connection string, or <see langword="null"/>.</returns>
    public static string? GetConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetConnectionString(GetConnectionStringName(configuration)) is { } value && !string.IsNullOrWhiteSpace(value)
            ? value
            : null;
    }

    /// <summary>
    /// The settings of <paramref name="options"/> the runner could not use, each as a sentence that names the
    /// configuration key to fix (<c>CodeMigrations:LockTimeout</c>) and the values it accepts. It does not check the
    /// connection or the assemblies, which a host may supply in other ways.
    /// </summary>
    /// <param name="options">The options, after binding and any configuration in code.</param>
    /// <returns>The problems; empty when every setting is usable.</returns>
    public static IReadOnlyList<string> Validate(CodeMigrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.HistorySchema))
            failures.Add($"{section}:{nameof(options.HistorySchema)} is empty: name the schema of the history table, or leave the key out for 'public'.");
        if (string.IsNullOrWhiteSpace(options.HistoryTable))
            failures.Add($"{section}:{nameof(options.HistoryTable)} is empty: name the history table, or leave the key out for 'migration_history'.");
        if (options.LockTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.LockTimeout)} is {options.LockTimeout}: it must be positive, a TimeSpan such as 00:05:00.");
        if (options.CommandTimeout is { } commandTimeout && commandTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.CommandTimeout)} is {commandTimeout}: it must be positive (00:10:00), or left out to wait without limit.");
        if (string.IsNullOrWhiteSpace(options.DdlLockTimeout))
            failures.Add($"{section}:{nameof(options.DdlLockTimeout)} is empty: give a PostgreSQL interval such as 5s, or 0 to wait forever.");
        if (string.IsNullOrWhiteSpace(options.StatementTimeout))
            failures.Add($"{section}:{nameof(options.StatementTimeout)} is empty: give a PostgreSQL interval such as 10min, or 0 for none.");
        if (options.DdlLockRetries < 0)
            failures.Add($"{section}:{nameof(options.DdlLockRetries)} is {options.DdlLockRetries}: give 0 or more.");
        CheckInterval(failures, nameof(options.DdlLockTimeout), options.DdlLockTimeout);
        CheckInterval(failures, nameof(options.StatementTimeout), options.StatementTimeout);
        return failures;
    }

    private static void CheckInterval(List<string> failures, string key, string value)
    {
        if (!string.IsNullOrWhiteSpace(value) && !Execution.MigrationTimeouts.IsValidInterval(value))
            failures.Add($"{SectionName}:{key} '{value}' is not an interval PostgreSQL accepts: {Execution.MigrationTimeouts.IntervalRule}.");
    }
}
