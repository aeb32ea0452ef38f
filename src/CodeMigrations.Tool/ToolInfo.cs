namespace CodeMigrations.Tool;

/// <summary>What the tool calls itself, in usage and in messages.</summary>
internal static class ToolInfo
{
    public const string CommandName = "codemigrations";

    public const string PackageId = "CodeMigrations.Tool";

    /// <summary>The description at the top of <c>codemigrations --help</c>: the tool's own options, then the verbs.</summary>
    public const string Description = """
        Applies and reverts the PostgreSQL migrations of your built class library or app, and shows where each one stands.

        Where the migrations are (anywhere on the command line):
          --assembly PATH.dll   The built assembly that holds them, with its .deps.json beside it; run as built.
          --project PATH        A .csproj, or a folder with one: built first (dotnet build), then its assembly is run.
                                --configuration NAME and --framework TFM go to that build.
          (neither)             The one .csproj in the current folder, as with --project.
        Services the migrations' constructors take: register them in a public class of that assembly that implements
        CodeMigrations.IMigrationServices.

        Exit codes: 0 success · 1 a migration or the database failed (or Ctrl+C) · 2 bad usage or an invalid migration set.
        """;
}
