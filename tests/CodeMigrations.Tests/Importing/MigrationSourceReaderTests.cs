using CodeMigrations.Importing;

namespace CodeMigrations.Tests.Importing;

[Parallelizable(ParallelScope.All)]
public sealed class MigrationSourceReaderTests
{
    /// <summary>One line per migration: version, source version, up, down (or why none), transaction.</summary>
    private static async Task<string[]> SummaryAsync(MigrationSourceFormat format)
    {
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(format), format);
        return source.Migrations.Select(m =>
            $"{m.Version} {m.SourceVersion} {m.Name} | up {Describe(m.Up)} | " +
            (m.Down is { } down ? $"down {Describe(down)}" : $"irreversible: {m.IrreversibleReason}") +
            (m.UseTransaction ? "" : " | no transaction")).ToArray();

        static string Describe(SourceScript script) =>
            script.FileName + (script.Section == ScriptSection.Whole ? "" : $" {script.Section}") + (script.WithoutOwnTransaction ? " without BEGIN/COMMIT" : "") + (script.IsEmpty ? " (empty)" : "");
    }

    [Test]
    public async Task A_golang_migrate_folder_gives_its_versions_with_an_empty_or_missing_down_as_irreversible()
    {
        Assert.That(await SummaryAsync(MigrationSourceFormat.GolangMigrate), Is.EqualTo(new[]
        {
            "1 000001 create_order_status | up 000001_create_order_status.up.sql | irreversible: imported from golang-migrate without a down migration",
            "2 000002 create_accounts | up 000002_create_accounts.up.sql | irreversible: imported from golang-migrate without a down migration",
            "3 000003 create_orders | up 000003_create_orders.up.sql without BEGIN/COMMIT | down 000003_create_orders.down.sql without BEGIN/COMMIT",
            "4 000004 order_functions | up 000004_order_functions.up.sql | down 000004_order_functions.down.sql",
            "5 000005 orders_by_account_index | up 000005_orders_by_account_index.up.sql | down 000005_orders_by_account_index.down.sql | no transaction",
        }));
    }

    [Test]
    public async Task A_dbmate_folder_is_cut_at_its_down_marker_and_keeps_transaction_false()
    {
        Assert.That(await SummaryAsync(MigrationSourceFormat.Dbmate), Is.EqualTo(new[]
        {
            "20240101090000 20240101090000 create_ticket_status | up 20240101090000_create_ticket_status.up.sql | irreversible: imported from dbmate without a down migration",
            "20240101090500 20240101090500 create_tickets | up 20240101090500_create_tickets.sql | irreversible: imported from dbmate without a down migration",
            "20240102101500 20240102101500 ticket_functions | up 20240102101500_ticket_functions.up.sql | down 20240102101500_ticket_functions.down.sql",
            "20240103120000 20240103120000 open_tickets_view | up 20240103120000_open_tickets_view.up.sql | down 20240103120000_open_tickets_view.down.sql",
            "20240104083000 20240104083000 tickets_subject_index | up 20240104083000_tickets_subject_index.up.sql | down 20240104083000_tickets_subject_index.down.sql | no transaction",
        }));
    }

    [Test]
    public async Task A_diesel_folder_reads_dashed_versions_as_digits_and_maps_its_initial_setup_to_1()
    {
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(MigrationSourceFormat.Diesel), MigrationSourceFormat.Diesel);

        Assert.That(await SummaryAsync(MigrationSourceFormat.Diesel), Is.EqualTo(new[]
        {
            "1 00000000000000 diesel_initial_setup | up 00000000000000_diesel_initial_setup.up.sql | down 00000000000000_diesel_initial_setup.down.sql",
            "20240110080000 2024-01-10-080000 create_post_state | up 2024-01-10-080000_create_post_state.up.sql | irreversible: imported from diesel without a down migration",
            "20240110081500 2024-01-10-081500 create_posts | up 2024-01-10-081500_create_posts.up.sql | irreversible: imported from diesel without a down migration",
            "20240111090000 2024-01-11-090000 post_functions | up 2024-01-11-090000_post_functions.up.sql | down 2024-01-11-090000_post_functions.down.sql",
            "20240112100000 2024-01-12-100000 published_posts | up 2024-01-12-100000_published_posts.up.sql | down 2024-01-12-100000_published_posts.down.sql",
            "20240113110000 2024-01-13-110000 posts_title_index | up 2024-01-13-110000_posts_title_index.up.sql | down 2024-01-13-110000_posts_title_index.down.sql | no transaction",
        }));
        Assert.That(source.Migrations.Select(m => m.IsVersionMapped), Is.EqualTo(new[] { true, false, false, false, false, false }));
        Assert.That(source.Migrations[0].Files.Select(f => Path.GetRelativePath(source.Directory, f.SourcePath)),
            Is.EqualTo(new[] { "00000000000000_diesel_initial_setup/up.sql", "00000000000000_diesel_initial_setup/down.sql" }));
    }

    [Test]
    public async Task A_flyway_folder_maps_dotted_versions_in_order_and_reports_repeatable_migrations_as_unsupported()
    {
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(MigrationSourceFormat.Flyway), MigrationSourceFormat.Flyway);

        Assert.That(await SummaryAsync(MigrationSourceFormat.Flyway), Is.EqualTo(new[]
        {
            "100000000 1 create_enums | up V1__create_enums.sql | irreversible: imported from flyway without a down migration",
            "100010000 1.1 create_products | up V1.1__create_products.sql | irreversible: imported from flyway without a down migration",
            "100020000 1.2 product_functions | up V1.2__product_functions.sql | down U1.2__product_functions.sql",
            "100020001 1.2.1 digital_products_view | up V1.2.1__digital_products_view.sql | down U1.2.1__digital_products_view.sql",
            "200000000 2 products_sku_index | up V2__products_sku_index.sql | down U2__products_sku_index.sql | no transaction",
        }));
        Assert.That(source.HasMappedVersions, Is.True);
        Assert.That(source.Migrations.Last().Source, Is.EqualTo("release2/V2__products_sku_index.sql"), "subfolders are read, as Flyway reads them");
        Assert.That(source.Unsupported, Has.Count.EqualTo(1));
        Assert.That(source.Unsupported[0].Path, Does.EndWith("R__product_summary.sql"));
        Assert.That(source.Unsupported[0].Reason, Does.Contain("repeatable migration (R__)").And.Contain("CodeMigrations has no repeatable migrations")
            .And.Contain("new versioned migration"));
    }

    [Test]
    public async Task An_updown_folder_uses_the_sections_and_makes_a_commented_out_down_or_no_down_irreversible()
    {
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(MigrationSourceFormat.UpDown), MigrationSourceFormat.UpDown);

        Assert.That(await SummaryAsync(MigrationSourceFormat.UpDown), Is.EqualTo(new[]
        {
            "20230901000000 20230901000000 create_roles | up 20230901000000_create_roles.sql Up | irreversible: imported from updown: its down migration is commented out",
            "20230901000500 20230901000500 settings | up 20230901000500_settings.sql | irreversible: imported from updown without a down migration",
            "20230901001000 20230901001000 create_users | up 20230901001000_create_users.sql Up | irreversible: imported from updown without a down migration",
            "20230902000000 20230902000000 user_functions | up 20230902000000_user_functions.sql Up | down 20230902000000_user_functions.sql Down",
            "20230903000000 20230903000000 editors_view | up 20230903000000_editors_view.sql Up | down 20230903000000_editors_view.sql Down",
            "20230904000000 20230904000000 users_email_index | up 20230904000000_users_email_index.sql Up | down 20230904000000_users_email_index.sql Down | no transaction",
        }));
        Assert.That(source.Warnings, Has.Some.Contains("20230901000000_create_roles.sql: the down migration's statements are commented out")
            .And.Some.Contains("20230904000000_users_email_index.sql: its up holds CREATE INDEX CONCURRENTLY"));
    }

    [Test]
    public async Task Files_named_like_no_migration_are_ignored_and_listed()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("1_init.up.sql", "CREATE TABLE t (id int);");
        folder.File("schema_dump.sql", "CREATE TABLE t (id int);");

        var source = await MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.GolangMigrate);

        Assert.That(source.Migrations.Select(m => m.Version), Is.EqualTo(new long[] { 1 }));
        Assert.That(source.Warnings[0], Is.EqualTo("Ignored 1 file not named as golang-migrate migrations are: schema_dump.sql."));
    }

    [Test]
    public async Task A_folder_that_does_not_exist_is_refused()
    {
        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationSourceReader.ReadAsync("/no/such/folder", MigrationSourceFormat.Flyway)))!;

        Assert.That(error.Message, Is.EqualTo("Nothing was imported: the folder /no/such/folder does not exist."));
    }

    [Test]
    public async Task A_folder_without_migrations_of_the_format_is_refused_with_what_was_expected_and_what_is_there()
    {
        var error = (await Assert.ThrowsAsync<MigrationImportException>(() =>
            MigrationSourceReader.ReadAsync(ImportFixtures.For(MigrationSourceFormat.Flyway), MigrationSourceFormat.GolangMigrate)))!;

        Assert.That(error.Message, Does.Contain("holds no golang-migrate migration: expected files such as 1_create_users.up.sql and 1_create_users.down.sql")
            .And.EndWith("; it has R__product_summary.sql, U1.2.1__digital_products_view.sql, U1.2__product_functions.sql, U1__create_enums.sql, V1.1__create_products.sql and 3 more."));
    }

    [Test]
    public async Task Two_flyway_versions_that_are_equal_as_numbers_are_refused_naming_both_files()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("V1__init.sql", "CREATE TABLE a (id int);");
        folder.File("V1.0__again.sql", "CREATE TABLE b (id int);");
        folder.File("V1.1__more.sql", "CREATE TABLE c (id int);");

        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.Flyway)))!;

        Assert.That(error.Problems, Is.EqualTo(new[]
        {
            "V1.0__again.sql (version 1.0) and V1__init.sql (version 1) both become version 10000: every migration needs its own version. Renumber one of them.",
        }));
    }

    [Test]
    public async Task Every_problem_of_a_folder_is_reported_at_once()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("1_a.up.sql", "SELECT 1;");
        folder.File("01_b.up.sql", "SELECT 2;");
        folder.File("2_c.down.sql", "SELECT 3;");
        folder.File("99999999999999999999_d.up.sql", "SELECT 4;");

        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.GolangMigrate)))!;

        Assert.That(error.Problems, Is.EqualTo(new[]
        {
            "Version 1 has several up files (01_b.up.sql, 1_a.up.sql): golang-migrate refuses that too; keep one.",
            "2_c.down.sql has no matching .up.sql file: a migration needs its up.",
            "99999999999999999999_d.up.sql: version 99999999999999999999 is larger than the largest version CodeMigrations can store (9223372036854775807).",
        }));
        Assert.That(error.Message, Does.StartWith("Nothing was imported (3 problems):"));
    }

    [Test]
    public async Task An_updown_file_with_a_down_marker_but_no_up_marker_is_refused()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("001_init.sql", "CREATE TABLE a (id int);\n-- Down\nDROP TABLE a;\n");

        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.UpDown)))!;

        Assert.That(error.Problems.Single(), Is.EqualTo("001_init.sql has a '-- Down' line but no '-- Up' line: add a line '-- Up' above its first statement."));
    }

    [Test]
    public async Task A_dbmate_file_without_an_up_marker_is_refused()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("20240101000000_init.sql", "CREATE TABLE a (id int);\n");

        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.Dbmate)))!;

        Assert.That(error.Problems.Single(), Does.Contain("20240101000000_init.sql has no '-- migrate:up' line"));
    }

    [Test]
    public async Task Script_names_with_letters_before_the_number_give_the_number_and_a_file_without_markers_is_all_up()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("Script0001 - Create tables.sql", "CREATE TABLE a (id int);\n");
        folder.File("Script0002 - Seed.sql", "INSERT INTO a VALUES (1);\n");

        var source = await MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.UpDown);

        Assert.That(source.Migrations.Select(m => (m.Version, m.Description, m.Up.Section, m.Down)),
            Is.EqualTo(new[] { (1L, "Create tables", ScriptSection.Whole, (SourceScript?)null), (2L, "Seed", ScriptSection.Whole, null) }));
    }

    [Test]
    public async Task A_file_that_wraps_itself_in_begin_and_commit_runs_in_the_migration_transaction_but_other_transaction_control_needs_none()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("1_wrapped.up.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");
        folder.File("2_two_blocks.up.sql", "BEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE c (id int);\nCOMMIT;\n");

        var source = await MigrationSourceReader.ReadAsync(folder.Path, MigrationSourceFormat.GolangMigrate);

        Assert.That(source.Migrations.Select(m => (m.Up.WithoutOwnTransaction, m.UseTransaction)), Is.EqualTo(new[] { (true, true), (false, false) }));
        Assert.That(source.Warnings, Has.Some.EqualTo("1_wrapped.up.sql: its up wraps its statements in BEGIN ... COMMIT: the class runs them without those two statements " +
            "(ImportedScripts.ReadWithoutOwnTransaction), in the migration's own transaction."));
        Assert.That(source.Warnings, Has.Some.StartsWith("2_two_blocks.up.sql: its up runs BEGIN itself: imported with UseTransaction = false"));
    }

    [TestCase("golang-migrate", MigrationSourceFormat.GolangMigrate)]
    [TestCase("Flyway", MigrationSourceFormat.Flyway)]
    [TestCase("golang", MigrationSourceFormat.GolangMigrate)]
    [TestCase("updown", MigrationSourceFormat.UpDown)]
    public void A_format_is_parsed_from_its_name(string name, MigrationSourceFormat expected) =>
        Assert.That(MigrationSourceFormats.Parse(name), Is.EqualTo(expected));

    [Test]
    public void An_unknown_format_name_is_refused_listing_the_formats() =>
        Assert.That(() => MigrationSourceFormats.Parse("liquibase"), Throws.TypeOf<MigrationImportException>()
            .With.Message.EqualTo("Nothing was imported: 'liquibase' is not a format import can read: use one of updown, golang-migrate, dbmate, diesel, flyway."));
}
