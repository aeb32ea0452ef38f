using CodeMigrations.Tests.Running;

namespace CodeMigrations.Tests.Scripts;

public sealed class ScriptMigrationTests
{
    public static class FromFiles
    {
        [Migration(20240101000001)]
        public sealed class CreateTags : Migration
        {
            public override void Up() => ExecuteScript("20240101000001_create_tags.sql", ScriptSection.Up);

            public override void Down() => ExecuteScript("20240101000001_create_tags.sql", ScriptSection.Down);
        }

        [Migration(20240101000002)]
        public sealed class Whole : Migration
        {
            public override void Up() => ExecuteScript("whole_file.sql");

            public override void Down() => Execute("DROP TABLE whole");
        }
    }

    [Test]
    public async Task A_file_with_up_and_down_sections_applies_its_up_and_reverts_with_its_down()
    {
        await using var test = await TestRunner.CreateAsync(typeof(FromFiles));

        await test.Runner.UpAsync();
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM tags_with(ARRAY['a'])"), Is.EqualTo(1));
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM whole"), Is.EqualTo(2), "a last statement without ';' runs too");

        await test.Runner.DownAsync(target: 0);
        Assert.That(await test.TableExistsAsync("tags"), Is.False);
        Assert.That(await test.QueryScalarAsync<int>("SELECT count(*) FROM pg_proc WHERE proname = 'tags_with'"), Is.Zero);
    }

    public static class CommentedDown
    {
        [Migration(20240101000002)]
        public sealed class Notes : Migration
        {
            public override void Up() => ExecuteScript("20240101000002_commented_down.sql", ScriptSection.Up);

            public override void Down() => ExecuteScript("20240101000002_commented_down.sql", ScriptSection.Down);
        }
    }

    [Test]
    public async Task A_down_section_whose_statements_are_commented_out_is_refused_with_the_advice_to_uncomment_them()
    {
        await using var test = await TestRunner.CreateAsync(typeof(CommentedDown));
        await test.Runner.UpAsync();

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.DownAsync()))!;

        Assert.That(error.Message, Does.Contain("Down section of").And.Contain("20240101000002_commented_down.sql")
            .And.Contain("only commented-out statements. Uncomment them"));
        Assert.That(await test.TableExistsAsync("notes"), Is.True);
    }

    public static class BadNames
    {
        [Migration(1)]
        public sealed class Missing : Migration
        {
            public override void Up() => ExecuteScript("no_such_file.sql");

            public override void Down()
            {
            }
        }
    }

    public static class Ambiguous
    {
        [Migration(1)]
        public sealed class TwoMatches : Migration
        {
            public override void Up() => ExecuteScript("same_name.sql");

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task A_missing_script_is_reported_with_how_to_embed_it()
    {
        await using var test = await TestRunner.CreateAsync(typeof(BadNames));

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("No embedded resource named 'no_such_file.sql' in CodeMigrations.Tests").And.Contain("<EmbeddedResource Include="));
    }

    [Test]
    public async Task A_script_name_that_matches_several_resources_is_refused_listing_them()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Ambiguous));

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("'same_name.sql' matches 2 embedded resources")
            .And.Contain("Files.a.same_name.sql").And.Contain("Files.b.same_name.sql"));
    }

    [TestCase("-- UP\nSELECT 1;\n-- down: revert\nSELECT 2;", "\nSELECT 1;\n", "\nSELECT 2;")]
    [TestCase("--Up\nSELECT 1\n--Down\nSELECT 2\n", "\nSELECT 1\n", "\nSELECT 2\n")]
    [TestCase("-- migrate:up\nSELECT 1;\n\n-- migrate:down transaction:false\nSELECT 2;\n", "\nSELECT 1;\n\n", "\nSELECT 2;\n")]
    public void Section_markers_ignore_case_spacing_and_trailing_text(string text, string up, string down)
    {
        Assert.That(CodeMigrations.Scripts.MigrationScripts.Section(text, ScriptSection.Up, "f.sql"), Is.EqualTo(up));
        Assert.That(CodeMigrations.Scripts.MigrationScripts.Section(text, ScriptSection.Down, "f.sql"), Is.EqualTo(down));
    }

    [Test]
    public void A_file_without_the_requested_marker_is_refused() =>
        Assert.That(() => CodeMigrations.Scripts.MigrationScripts.Section("SELECT 1;", ScriptSection.Down, "f.sql"),
            Throws.TypeOf<MigrationScriptException>().With.Message.Contains("has no '-- Down' marker line"));
}
