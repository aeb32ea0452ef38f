using System.CommandLine;
using CodeMigrations.Authoring;
using CodeMigrations.Cli.Output;
using CodeMigrations.Loading;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>new NAME [--dir DIR]</c>: writes an empty migration class; touches no database.</summary>
internal sealed class NewCommand : CliVerb
{
    private readonly Argument<string> _name = new("NAME")
    {
        Description = "The class name of the migration, a C# identifier such as AddEmailToUsers.",
    };

    private readonly Option<string?> _directory = new("--dir")
    {
        Description = "The folder to write the file in (default: ./Migrations if it exists, else the current folder).",
        HelpName = "DIR",
    };

    public NewCommand()
        : base("new", "Write DIR/yyyyMMddHHmmss_NAME.cs: a migration class with [Migration(yyyyMMddHHmmss)] (UTC now) and empty Up and Down, in the namespace of the nearest project and folder.")
    {
        Command.Arguments.Add(_name);
        Command.Options.Add(_directory);
    }

    public override Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var console = host.Console;
        var name = host.Get(_name) ?? "";
        var directory = host.Get(_directory) ?? (Directory.Exists("Migrations") ? "Migrations" : ".");
        try
        {
            // The versions already taken come from the host's own migrations: attributes only, no database.
            var configured = new CodeMigrationsOptions();
            host.Options.ConfigureMigrations?.Invoke(configured);
            MigrationCatalog? catalog = null;
            try
            {
                catalog = MigrationLoader.Load(host.Options.Assemblies.Concat(configured.Assemblies), configured.TypeFilter, null);
            }
            catch (InvalidMigrationSetException e)
            {
                console.WriteNote($"warning: the existing migrations are not a valid set, so the new version could not be checked against them. {e.Message}", CliColour.Yellow);
            }

            var (path, version) = NewMigrationWriter.Write(name, directory, DateTime.UtcNow, catalog);
            console.WriteLine($"Created {Path.GetRelativePath(Environment.CurrentDirectory, path)} (version {version}).", CliColour.Green);
            return Task.FromResult(MigrationExitCode.Success);
        }
        catch (MigrationException e)
        {
            console.WriteError(e.Message);
            return Task.FromResult(MigrationExitCode.Usage);
        }
    }
}
