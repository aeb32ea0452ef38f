using CodeMigrations.Cli;
using CodeMigrations.TestHost;
using Microsoft.Extensions.DependencyInjection;

// TESTHOST_SETS picks the migration sets (comma-separated, default "ok"): see TestSets.
// TESTHOST_NO_SERVICES=1 leaves out the service a migration's constructor needs.
if (!TestSets.TryFromEnvironment(out var sets, out var problem))
{
    Console.Error.WriteLine(problem);
    return MigrationExitCode.Usage;
}

var registerServices = Environment.GetEnvironmentVariable("TESTHOST_NO_SERVICES") != "1";
return await MigrationCli.RunAsync(args, new MigrationCliOptions
{
    Assemblies = { typeof(TestSets).Assembly },
    ConfigureServices = services =>
    {
        if (registerServices)
            services.AddSingleton<INoteSource, FixedNoteSource>();
    },
    ConfigureMigrations = options => options.TypeFilter = sets,
});
