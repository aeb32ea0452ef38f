using System.CommandLine;
using System.Globalization;
using CodeMigrations.Cli.Output;
using CodeMigrations.Importing;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>import --from DIR --format FORMAT [--out DIR]...</c>: another tool's migration files as C# classes; touches no database.</summary>
internal sealed class ImportCommand : CliVerb
{
    private readonly Option<string> _from = new("--from")
    {
        Description = "The folder holding the other tool's migrations.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string> _format = new("--format")
    {
        Description = "Its layout: updown (VERSION_name.sql with '-- Up'/'-- Down' lines), golang-migrate (N_name.up.sql + .down.sql), " +
            "dbmate ('-- migrate:up'/'-- migrate:down'), diesel (VERSION_name/up.sql + down.sql), flyway (V1.2__name.sql, U1.2__name.sql as its down).",
        HelpName = "FORMAT",
        Required = true,
    };

    private readonly Option<string?> _out = new("--out")
    {
        Description = "The folder to write the classes into, with the SQL files copied unchanged under its Sql/ folder (default: ./Migrations). " +
            "When neither it nor a folder above it holds a .csproj, a console host project is written there too.",
        HelpName = "DIR",
    };

    private readonly Option<string?> _namespace = new("--namespace")
    {
        Description = "The namespace of the classes (default: the enclosing project's namespace and folders, or the --out folder's name).",
        HelpName = "NAMESPACE",
    };

    private readonly Option<string?> _cliProject = new("--cli-project")
    {
        Description = "The CodeMigrations.Cli.csproj a new host project references (default: the one this program was built from, when it can be found).",
        HelpName = "PATH",
    };

    public ImportCommand()
        : base("import", "Write a C# migration class per migration of another tool's folder, keeping versions (non-integer ones mapped in order, listed), " +
            "reading the SQL from the files copied unchanged; a migration without a down becomes [Irreversible]. Touches no database.")
    {
        _format.AcceptOnlyFromAmong([.. MigrationSourceFormats.All]);
        Command.Options.Add(_from);
        Command.Options.Add(_format);
        Command.Options.Add(_out);
        Command.Options.Add(_namespace);
        Command.Options.Add(_cliProject);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var format = MigrationSourceFormats.Parse(host.Get(_format)!);
        var source = await MigrationSourceReader.ReadAsync(host.Get(_from)!, format, cancellationToken);
        var result = await MigrationImportWriter.WriteAsync(source, new MigrationImportOptions
        {
            OutputDirectory = host.Get(_out) ?? "Migrations",
            Namespace = host.Get(_namespace),
            CliProjectPath = host.Get(_cliProject),
        }, cancellationToken);
        Report(host.Console, source, result);
        return MigrationExitCode.Success;
    }

    public override int ReportCancelled(CliHost host, Exception error)
    {
        host.Console.WriteError("Cancelled: the files written before the cancellation stay.");
        return MigrationExitCode.Failure;
    }

    public override int ReportFailure(CliHost host, Exception error)
    {
        switch (error)
        {
            case MigrationImportException:
                host.Console.WriteError(error.Message);
                return MigrationExitCode.Usage;
            case IOException or UnauthorizedAccessException:
                host.Console.WriteError($"Import failed: {error.Message}");
                return MigrationExitCode.Failure;
            default:
                return base.ReportFailure(host, error);
        }
    }

    private static void Report(CliConsole console, MigrationSource source, MigrationImportResult result)
    {
        var format = MigrationSourceFormats.NameOf(source.Format);
        console.WriteLine($"Imported {Durations.Migrations(result.Migrations.Count)} from {format} ({Shown(source.Directory)}) " +
            $"into {Shown(result.OutputDirectory)}, namespace {result.Namespace}:");
        var width = result.Migrations.Max(m => m.Source.Version.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var migration in result.Migrations)
        {
            var mark = migration.Source.IrreversibleReason is null ? "" : console.Paint("  [irreversible: no down]", CliColour.Yellow);
            if (migration.Source.IrreversibleReason is { } reason && reason.Contains("commented out", StringComparison.Ordinal))
                mark = console.Paint("  [irreversible: down commented out]", CliColour.Yellow);
            var transaction = migration.Source.UseTransaction ? "" : console.Paint("  [no transaction]", CliColour.Yellow);
            console.WriteLine($"  {migration.Source.Version.ToString(CultureInfo.InvariantCulture).PadLeft(width)}  " +
                $"{Path.GetFileName(migration.ClassFile)} ← {string.Join(", ", migration.SqlFiles)}{mark}{transaction}");
        }

        if (source.HasMappedVersions)
        {
            console.WriteLine(source.Migrations.Any(m => m.SourceVersion.Contains('.', StringComparison.Ordinal) || m.SourceVersion.Contains('_', StringComparison.Ordinal))
                ? "Version mapping, in order (the tool's version → CodeMigrations version: the first component, then each further one as four digits):"
                : "Version mapping (the tool's version → CodeMigrations version):");
            var sourceWidth = result.Migrations.Max(m => m.Source.SourceVersion.Length);
            foreach (var migration in result.Migrations)
                console.WriteLine($"  {migration.Source.SourceVersion.PadRight(sourceWidth)} → {migration.Source.Version}");
        }
        else
        {
            console.WriteLine("Versions are kept as they are.");
        }

        foreach (var unsupported in result.Unsupported)
            console.WriteNote($"not imported: {unsupported.Reason}", CliColour.Yellow);
        foreach (var warning in result.Warnings)
            console.WriteNote($"warning: {warning}", CliColour.Yellow);

        var unchanged = result.Unchanged.Count > 0 ? $" ({result.Unchanged.Count} unchanged)" : "";
        console.WriteLine($"Wrote {result.Written.Count} file{(result.Written.Count == 1 ? "" : "s")}{unchanged}.", CliColour.Green);
        var project = Shown(result.ProjectFile);
        if (result.CreatedProject)
        {
            console.WriteLine($"Created the console host {project} and Program.cs" +
                (result.CliProjectReference is { } cli ? $", referencing {Shown(cli)}." : " (without the CodeMigrations.Cli reference: see the warning above)."));
            console.WriteLine($"Next: dotnet run --project {project} -- up --connection \"Host=...;Database=...\"" +
                " (on a database the other tool migrated: import-history --from TOOL first).");
        }
        else if (result.MissingEmbeddedResource is { } line)
        {
            console.WriteLine($"Add to {project}, so that the SQL files are embedded where ExecuteScript reads them:", CliColour.Yellow);
            console.WriteLine($"  <ItemGroup>{line}</ItemGroup>");
        }
        else
        {
            console.WriteLine($"{project} embeds the copied SQL files already.");
        }
    }

    /// <summary>A path relative to the current folder when it lies below it, else in full.</summary>
    private static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
