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
            var connectionName = CodeMigrationsConfiguration.GetConnectionStringName(_configuration);
            failures.Add(
                $"No database for CodeMigrations: set the connection string ConnectionStrings:{connectionName} (environment variable " +
                $"ConnectionStrings__{connectionName}), register an NpgsqlDataSource (AddNpgsqlDataSource), or name another connection " +
                $"string in {section}:{CodeMigrationsConfiguration.ConnectionStringNameKey}.");
        }

        if (options.Assemblies.Count == 0)
            failures.Add("No assemblies to search for migrations: add one in AddCodeMigrations, o => o.Assemblies.Add(typeof(SomeMigration).Assembly).");
        // The settings themselves are judged as the console host judges them: one set of rules, in the core.
        failures.AddRange(CodeMigrationsConfiguration.Validate(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
