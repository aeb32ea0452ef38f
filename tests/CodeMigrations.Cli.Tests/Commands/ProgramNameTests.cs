using CodeMigrations.Cli.Commands;
using CodeMigrations.Cli.Output;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Commands;

/// <summary>A host assembly may be called like a verb ("status"): the program's name in usage must then differ from it.</summary>
public sealed class ProgramNameTests
{
    [TestCase("ConsoleHost", "ConsoleHost")]
    [TestCase("status", "status.dll")]
    [TestCase("Up", "Up.dll")]
    [TestCase("import-history", "import-history.dll")]
    [TestCase("migrate", "migrate")]
    public void A_program_named_like_a_verb_is_shown_with_its_extension(string executable, string expected) =>
        Assert.That(CliCommandLine.ProgramName(executable), Is.EqualTo(expected));

    [Test]
    public void The_list_of_verb_names_is_the_list_of_commands()
    {
        var commandLine = new CliCommandLine(new MigrationCliOptions(), new CliConsole(TextWriter.Null, TextWriter.Null, false, false));

        Assert.That(CliCommandLine.VerbNames, Is.EquivalentTo(commandLine.Root.Subcommands.Select(c => c.Name)));
    }

    [Test]
    public async Task A_host_that_names_the_program_is_shown_under_that_name_in_usage_and_hints()
    {
        var error = new StringWriter();
        var console = new CliConsole(TextWriter.Null, error, false, false);

        var exitCode = await MigrationCli.RunAsync(["upp"], new MigrationCliOptions { ProgramName = "codemigrations" }, console);

        Assert.That(exitCode, Is.EqualTo(MigrationExitCode.Usage));
        Assert.That(error.ToString(), Does.Contain("Run 'codemigrations --help' for the verbs and options."));
    }
}
