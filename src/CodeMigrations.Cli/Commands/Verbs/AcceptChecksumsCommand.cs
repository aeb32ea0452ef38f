using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands.Verbs;

/// <summary><c>accept-checksums</c>: records the current checksums of applied migrations.</summary>
internal sealed class AcceptChecksumsCommand : CliVerb
{
    public AcceptChecksumsCommand()
        : base("accept-checksums", "Record the current checksums of applied migrations, accepting deliberate harmless edits (formatting, comments) so that up and validate stop refusing them.")
    {
    }

    public override bool ConnectsFirst => true;

    public override async Task<int> RunAsync(CliHost host, CancellationToken cancellationToken)
    {
        var runner = await host.GetRunnerAsync(null, cancellationToken);
        var changed = await runner.AcceptChecksumsAsync(cancellationToken);
        host.Console.WriteLine(changed.Count == 0
            ? "Every applied migration's recorded checksum already matches its code: nothing to accept."
            : $"Accepted the current code of {Durations.Migrations(changed.Count)}: {string.Join(", ", changed)}.", CliColour.Green);
        return MigrationExitCode.Success;
    }
}
