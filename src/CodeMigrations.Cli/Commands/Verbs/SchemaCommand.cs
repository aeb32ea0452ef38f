using System.CommandLine;
using CodeMigrations.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>schema [--output FILE]</c>: the database's schema as a normalised, comparable text.</summary>
internal sealed class SchemaCommand : CliVerb
{
    private readonly Option<string?> _output = VerbOptions.Output(
        "Write the schema to this file (sorted, one line per object and property: a reviewable file to commit).");

    public SchemaCommand()
        : base("schema", "Print the database's schema as a normalised, comparable text (tables, columns, constraints, indexes, views, functions, triggers, types, extensions, comments, policies), without the history table.")
    {
        Command.Options.Add(_output);
    }

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var services = await host.GetServicesAsync(cancellationToken);
        var text = (await services.GetRequiredService<SchemaReader>().ReadAsync(cancellationToken)).ToText();
        if (host.Get(_output) is { } file)
        {
            await File.WriteAllTextAsync(file, text, cancellationToken);
            host.Console.WriteNote($"Wrote the schema to {file}.");
        }
        else
        {
            await host.Console.Out.WriteAsync(text);
        }

        return MigrationExitCode.Success;
    }
}
