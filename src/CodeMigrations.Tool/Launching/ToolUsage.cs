using CodeMigrations.Cli;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// Usage, a verb's help and the version, answered in this process by the console host itself (the tool's copy of it),
/// under the tool's name and with the tool's own options described: no assembly, no build needed.
/// </summary>
internal sealed class ToolUsage
{
    public Task<int> RunAsync(IReadOnlyList<string> hostArguments) =>
        MigrationCli.RunAsync([.. hostArguments], new MigrationCliOptions
        {
            ProgramName = ToolInfo.CommandName,
            Description = ToolInfo.Description,
        });
}
