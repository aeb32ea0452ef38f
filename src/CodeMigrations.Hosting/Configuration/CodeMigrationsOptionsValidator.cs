using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CodeMigrations.Hosting.Configuration;

/// <summary>Refuses settings the runner could not use, at start, each message naming the configuration key to fix.</summary>
internal sealed class CodeMigrationsOptionsValidator : IValidateOptions<CodeMigrationsOptions>
{
    private readonly IConfiguration _configuration;

    public CodeMigrationsOptionsValidator(IConfiguration configuration) => _configuration = configuration;

    public ValidateOptionsResult Validate(string? name, CodeMigrationsOptions options)
    {
        var section = CodeMigrationsConfiguration.SectionName;
        var failures = new List<string>();
        if (options.DataSource is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var connectionName = CodeMigrationsConfiguration.ConnectionStringName(_configuration);
            failures.Add(
                $"No database for CodeMigrations: set the connection string ConnectionStrings:{connectionName} (environment variable " +
                $"ConnectionStrings__{connectionName}), register an NpgsqlDataSource (AddNpgsqlDataSource), or name another connection " +
                $"string in {section}:{CodeMigrationsConfiguration.ConnectionStringNameKey}.");
        }

        if (options.Assemblies.Count == 0)
            failures.Add("No assemblies to search for migrations: add one in AddCodeMigrations, o => o.Assemblies.Add(typeof(SomeMigration).Assembly).");
        if (string.IsNullOrWhiteSpace(options.HistorySchema))
            failures.Add($"{section}:{nameof(options.HistorySchema)} is empty: name the schema of the history table, or leave the key out for 'public'.");
        if (string.IsNullOrWhiteSpace(options.HistoryTable))
            failures.Add($"{section}:{nameof(options.HistoryTable)} is empty: name the history table, or leave the key out for 'migration_history'.");
        if (options.LockTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.LockTimeout)} is {options.LockTimeout}: it must be positive, a TimeSpan such as 00:05:00.");
        if (options.CommandTimeout is { } commandTimeout && commandTimeout <= TimeSpan.Zero)
            failures.Add($"{section}:{nameof(options.CommandTimeout)} is {commandTimeout}: it must be positive (00:10:00), or left out to wait without limit.");
        if (!Execution.MigrationTimeouts.IsValidInterval(options.DdlLockTimeout ?? ""))
            failures.Add($"{section}:{nameof(options.DdlLockTimeout)} is '{options.DdlLockTimeout}': give a PostgreSQL interval such as 5s, or 0 to wait forever.");
        if (!Execution.MigrationTimeouts.IsValidInterval(options.StatementTimeout ?? ""))
            failures.Add($"{section}:{nameof(options.StatementTimeout)} is '{options.StatementTimeout}': give a PostgreSQL interval such as 10min, or 0 for none.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
