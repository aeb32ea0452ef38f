using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Hosting.Configuration;

/// <summary>
/// The database of the hosted runner when code set none: an <see cref="NpgsqlDataSource"/> registered in the container,
/// else <c>ConnectionStrings:&lt;name&gt;</c> (<see cref="CodeMigrationsConfiguration.GetConnectionString"/>). The section
/// itself binds through the core's <see cref="CodeMigrationsConfiguration.Bind"/>, as the console host's does.
/// </summary>
internal static class HostedConnection
{
    /// <summary>Runs after code configured the options: supplies the connection when neither code nor the section did.</summary>
    public static void Resolve(CodeMigrationsOptions options, IConfiguration configuration, IServiceProvider services)
    {
        if (options.DataSource is not null || !string.IsNullOrWhiteSpace(options.ConnectionString))
            return;
        // Shared with the application: one pool, one configuration (Npgsql.DependencyInjection's AddNpgsqlDataSource).
        if (services.GetService<NpgsqlDataSource>() is { } dataSource)
        {
            options.DataSource = dataSource;
            return;
        }

        options.ConnectionString = configuration.GetConnectionString(CodeMigrationsConfiguration.GetConnectionStringName(configuration));
    }
}
