using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Hosting.Configuration;

/// <summary>
/// Fills <see cref="CodeMigrationsOptions"/> from configuration: the <c>CodeMigrations</c> section binds onto the core's
/// own options (one set of settings, one set of names), and the connection comes from, in this order, what the section or
/// code set, an <see cref="NpgsqlDataSource"/> registered in the container, or <c>ConnectionStrings:&lt;name&gt;</c>.
/// </summary>
internal static class CodeMigrationsConfiguration
{
    public const string SectionName = "CodeMigrations";
    public const string ConnectionStringNameKey = "ConnectionStringName";
    public const string DefaultConnectionStringName = "Default";

    /// <summary>Binds the section; a value of the wrong type fails with the binder's message, which names the key.</summary>
    public static void Bind(CodeMigrationsOptions options, IConfiguration configuration) =>
        configuration.GetSection(SectionName).Bind(options);

    /// <summary>Runs after code configured the options: supplies the connection when neither code nor the section did.</summary>
    public static void ResolveConnection(CodeMigrationsOptions options, IConfiguration configuration, IServiceProvider services)
    {
        if (options.DataSource is not null || !string.IsNullOrWhiteSpace(options.ConnectionString))
            return;
        // Shared with the application: one pool, one configuration (Npgsql.DependencyInjection's AddNpgsqlDataSource).
        if (services.GetService<NpgsqlDataSource>() is { } dataSource)
        {
            options.DataSource = dataSource;
            return;
        }

        options.ConnectionString = configuration.GetConnectionString(ConnectionStringName(configuration));
    }

    /// <summary>The name under <c>ConnectionStrings</c>: <c>CodeMigrations:ConnectionStringName</c>, default <c>Default</c>.</summary>
    public static string ConnectionStringName(IConfiguration configuration) =>
        configuration.GetSection(SectionName)[ConnectionStringNameKey] is { Length: > 0 } name ? name : DefaultConnectionStringName;
}
