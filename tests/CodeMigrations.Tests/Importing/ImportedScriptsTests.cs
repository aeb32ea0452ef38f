using CodeMigrations.Importing;

namespace CodeMigrations.Tests.Importing;

[Parallelizable(ParallelScope.All)]
public sealed class ImportedScriptsTests
{
    [Test]
    public void The_wrapping_begin_and_commit_are_blanked_keeping_every_line_in_place()
    {
        const string Script = "-- orders\nBEGIN;\nCREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\ncommit;\n";

        var unwrapped = ImportedScripts.Unwrap(Script);

        Assert.That(unwrapped, Is.EqualTo("-- orders\n     ;\nCREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\n      ;\n"));
        Assert.That(unwrapped!.Split('\n'), Has.Length.EqualTo(Script.Split('\n').Length));
    }

    [TestCase("START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nEND;")]
    [TestCase("BEGIN WORK;\nSELECT 1;\nCOMMIT WORK")]
    [TestCase("BEGIN;\nSAVEPOINT a;\nSELECT 1;\nROLLBACK TO SAVEPOINT a;\nCOMMIT;")]
    public void Other_spellings_of_one_transaction_block_are_unwrapped(string script) =>
        Assert.That(ImportedScripts.Unwrap(script), Does.Not.Contain("START").And.Not.Contain("COMMIT").And.Not.Contain("END").And.Contain("SELECT 1;"));

    [TestCase("SELECT 1;")]
    [TestCase("BEGIN;\nSELECT 1;")]
    [TestCase("BEGIN;\nSELECT 1;\nROLLBACK;")]
    [TestCase("BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;")]
    [TestCase("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;")]
    public void A_script_that_is_not_exactly_one_transaction_block_is_not_unwrapped(string script) =>
        Assert.That(ImportedScripts.Unwrap(script), Is.Null);
}
