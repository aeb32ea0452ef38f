using CodeMigrations.Hosting.Tests.Sets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Hosting.Tests;

/// <summary>In-process Generic Hosts configured from an in-memory configuration, as an application's would be.</summary>
public static class TestHosts
{
    public static IHost Build(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, Action<CodeMigrationsOptions>? configure = null) =>
        new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings))
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices((context, s) =>
            {
                services?.Invoke(s);
                s.AddCodeMigrations(context.Configuration, o =>
                {
                    o.Assemblies.Add(typeof(CreateFirstTable).Assembly);
                    // The two tables only; a test that wants the failing migration too sets its own filter.
                    o.TypeFilter = t => t.Namespace == typeof(CreateFirstTable).Namespace;
                    configure?.Invoke(o);
                });
                s.AddCodeMigrationsOnStartup();
                s.AddHealthChecks().AddCodeMigrations();
            })
            .Build();

    public static Dictionary<string, string?> Settings(string? connectionString, string onStartup = "Migrate") => new()
    {
        ["ConnectionStrings:Default"] = connectionString,
        ["CodeMigrations:OnStartup"] = onStartup,
    };
}
