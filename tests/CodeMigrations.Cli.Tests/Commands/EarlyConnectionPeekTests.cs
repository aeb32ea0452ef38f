using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Commands;

/// <summary>Which connection string the host starts connecting to before it parses the command line (arguments split at '|').</summary>
public sealed class EarlyConnectionPeekTests
{
    [TestCase("up|--connection|Host=a", "Host=a")]
    [TestCase("--connection|Host=a|up", "Host=a")]
    [TestCase("status|-c|Host=a|--verbose", "Host=a")]
    [TestCase("down|--connection=Host=a;Database=b", "Host=a;Database=b")]
    [TestCase("up|--connection:Host=a", "Host=a")]
    public void The_connection_option_of_a_verb_that_connects_first_is_read_ahead(string args, string expected) =>
        Assert.That(MigrationCli.PeekConnectionString(args.Split('|')), Is.EqualTo(expected));

    [TestCase("new|AddUsers|--connection|Host=a")]
    [TestCase("schema|--connection|Host=a")]
    [TestCase("up|--help|--connection|Host=a")]
    [TestCase("--connection|Host=a")]
    [TestCase("up|--connection")]
    public void Nothing_is_read_ahead_for_other_verbs_for_help_or_without_a_value(string args) =>
        Assert.That(MigrationCli.PeekConnectionString(args.Split('|')), Is.Null);
}
