using CodeMigrations.Cli;
using ConsoleHost;
using Microsoft.Extensions.DependencyInjection;

// The whole console host. With --connection or CODEMIGRATIONS_CONNECTION it migrates that database; without either, the
// example starts its own local PostgreSQL (ExampleDatabase) so that it runs with no set-up at all.
return await MigrationCli.RunAsync(args, new MigrationCliOptions
{
    Assemblies = { typeof(Program).Assembly },
    // The data migration AddPostSlugs takes an ISlugGenerator in its constructor.
    ConfigureServices = services => services.AddSingleton<ISlugGenerator, SlugGenerator>(),
    DefaultDatabase = ExampleDatabase.StartAsync,
});
