using CodeMigrations.Importing;
using CodeMigrations.Tests.Running;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.Importing;

[Parallelizable(ParallelScope.All)]
public sealed class HistoryImportTests
{
    public abstract class Noop : Migration
    {
        public override void Up() => Execute($"SELECT '{GetType().Name}'");

        public override void Down() => Execute("SELECT 1");
    }

    public static class FromGolangMigrate
    {
        [Migration(1)]
        [ImportedMigration("golang-migrate", "000001", Source = "000001_create_order_status.up.sql")]
        public sealed class CreateOrderStatus : Noop;

        [Migration(2)]
        [ImportedMigration("golang-migrate", "000002", Source = "000002_create_accounts.up.sql")]
        public sealed class CreateAccounts : Noop;

        [Migration(3)]
        [ImportedMigration("golang-migrate", "000003", Source = "000003_create_orders.up.sql")]
        public sealed class CreateOrders : Noop;

        [Migration(20240301000000)]
        public sealed class AddedAfterTheSwitch : Noop;
    }

    public static class FromFlyway
    {
        [Migration(1_0000)]
        [ImportedMigration("flyway", "1", Source = "V1__create_enums.sql")]
        public sealed class CreateEnums : Noop;

        [Migration(1_0001)]
        [ImportedMigration("flyway", "1.1", Source = "V1.1__create_products.sql")]
        public sealed class CreateProducts : Noop;

        [Migration(1_0002)]
        [ImportedMigration("flyway", "1.2", Source = "V1.2__product_functions.sql")]
        public sealed class ProductFunctions : Noop;

        [Migration(2_0000)]
        [ImportedMigration("flyway", "2", Source = "V2__products_index.sql")]
        public sealed class ProductsIndex : Noop;
    }

    public static class FromDbUp
    {
        [Migration(1)]
        [ImportedMigration("updown", "0001", Source = "Script0001 - Create tables.sql")]
        public sealed class CreateTables : Noop;

        [Migration(2)]
        public sealed class Seed : Noop;

        [Migration(3)]
        public sealed class Pending : Noop;
    }

    public static class FromFluentMigrator
    {
        [Migration(20240101120000)]
        public sealed class CreateCustomers : Noop;

        [Migration(20240102120000)]
        public sealed class AddEmail : Noop;

        [Migration(20240103120000)]
        public sealed class AddIndex : Noop;
    }

    public static class FromDiesel
    {
        [Migration(1)]
        [ImportedMigration("diesel", "00000000000000", Source = "00000000000000_diesel_initial_setup")]
        public sealed class DieselInitialSetup : Noop;

        [Migration(20240110080000)]
        [ImportedMigration("diesel", "2024-01-10-080000", Source = "2024-01-10-080000_create_post_state")]
        public sealed class CreatePostState : Noop;

        [Migration(20240111090000)]
        [ImportedMigration("diesel", "2024-01-11-090000", Source = "2024-01-11-090000_post_functions")]
        public sealed class PostFunctions : Noop;
    }

    public static class FromDbmate
    {
        [Migration(20240101090000)]
        [ImportedMigration("dbmate", "20240101090000", Source = "20240101090000_create_ticket_status.sql")]
        public sealed class CreateTicketStatus : Noop;

        [Migration(20240101090500)]
        [ImportedMigration("dbmate", "20240101090500", Source = "20240101090500_create_tickets.sql")]
        public sealed class CreateTickets : Noop;
    }

    // Each tool's history table, created as the tool creates it on PostgreSQL.
    private const string GolangMigrateTable = """
        CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)
        """;

    private const string FlywayTable = """
        CREATE TABLE "public"."flyway_schema_history" (
            "installed_rank" INT NOT NULL,
            "version" VARCHAR(50),
            "description" VARCHAR(200) NOT NULL,
            "type" VARCHAR(20) NOT NULL,
            "script" VARCHAR(1000) NOT NULL,
            "checksum" INTEGER,
            "installed_by" VARCHAR(100) NOT NULL,
            "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
            "execution_time" INTEGER NOT NULL,
            "success" BOOLEAN NOT NULL
        );
        ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
        CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
        """;

    private const string DbUpTable = """
        CREATE TABLE "schemaversions"
        (
            schemaversionsid serial NOT NULL,
            scriptname character varying(255) NOT NULL,
            applied timestamp without time zone NOT NULL,
            CONSTRAINT "PK_schemaversions_Id" PRIMARY KEY (schemaversionsid)
        )
        """;

    // FluentMigrator's three version-table migrations: the table, its unique index, then AppliedOn and Description.
    private const string FluentMigratorTable = """
        CREATE TABLE "public"."VersionInfo" ("Version" bigint NOT NULL);
        CREATE UNIQUE INDEX "UC_Version" ON "public"."VersionInfo" ("Version" ASC);
        ALTER TABLE "public"."VersionInfo" ADD "AppliedOn" timestamp;
        ALTER TABLE "public"."VersionInfo" ADD "Description" varchar(1024);
        """;

    private const string DieselTable = """
        CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
               version VARCHAR(50) PRIMARY KEY NOT NULL,
               run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        """;

    private const string DbmateTable = """
        create table if not exists "public"."schema_migrations" (version varchar(128) primary key)
        """;

    private static async Task<(string ConnectionString, MigrationHistoryImporter Importer)> PrepareAsync(Type container, string sql)
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
            await connection.ExecuteAsync(sql);
        var options = new CodeMigrationsOptions { ConnectionString = connectionString, TypeFilter = t => t.DeclaringType == container };
        options.Assemblies.Add(container.Assembly);
        return (connectionString, new MigrationHistoryImporter(options));
    }

    private static async Task<List<(long Version, string Name, string State, bool HasChecksum)>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        if (!await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('public.migration_history') IS NOT NULL"))
            return [];
        return (await connection.QueryAsync<(long, string, string, bool)>(
            "SELECT version, name, state, checksum IS NOT NULL FROM public.migration_history ORDER BY version")).AsList();
    }

    [Test]
    public async Task Golang_migrate_s_current_version_records_it_and_every_class_below_it_and_up_then_runs_only_the_rest()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromGolangMigrate), GolangMigrateTable + """
            ;TRUNCATE "public"."schema_migrations";
            INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, false);
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.GolangMigrate);

        Assert.That(result.SourceTable, Is.EqualTo("schema_migrations"));
        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(result.Skipped, Is.Empty);
        Assert.That(result.Pending.Select(m => m.Version), Is.EqualTo(new long[] { 20240301000000 }));
        Assert.That(await HistoryAsync(connectionString), Is.EqualTo(new[]
        {
            (1L, "Create order status", "baseline", true), (2L, "Create accounts", "baseline", true), (3L, "Create orders", "baseline", true),
        }));

        await using var runner = TestRunner.For(connectionString, typeof(FromGolangMigrate));
        Assert.That(await runner.Runner.ValidateAsync(), Is.Empty, "the recorded checksums are those of the classes");
        var up = await runner.Runner.UpAsync();
        Assert.That(up.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 20240301000000 }));
    }

    [Test]
    public async Task A_dirty_golang_migrate_version_is_refused_and_nothing_is_recorded()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromGolangMigrate), GolangMigrateTable + """
            ;INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, true);
            """);

        var error = (await Assert.ThrowsAsync<HistoryImportException>(() => importer.ImportAsync(ForeignMigrationTool.GolangMigrate)))!;

        Assert.That(error.Message, Is.EqualTo(
            "golang-migrate's schema_migrations marks version 3 as dirty: its migration failed or stopped halfway, so the database may hold part of it. " +
            "Nothing was recorded. Finish or undo that migration by hand, then run 'migrate force 3' (finished) or 'migrate force <previous version>' (undone), " +
            "and run import-history again."));
        Assert.That(await HistoryAsync(connectionString), Is.Empty);
    }

    [Test]
    public async Task A_schema_migrations_table_without_dirty_is_named_as_dbmate_s()
    {
        var (_, importer) = await PrepareAsync(typeof(FromGolangMigrate), DbmateTable);

        var error = (await Assert.ThrowsAsync<HistoryImportException>(() => importer.ImportAsync(ForeignMigrationTool.GolangMigrate)))!;

        Assert.That(error.Message, Does.Contain("schema_migrations has no column 'dirty'").And.EndWith("run import-history --from dbmate."));
    }

    [Test]
    public async Task Flyway_s_successful_versions_are_matched_through_the_import_mapping_with_their_time_user_and_duration()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromFlyway), FlywayTable + """
            ;INSERT INTO "public"."flyway_schema_history" VALUES
                (1, '1', 'create enums', 'SQL', 'V1__create_enums.sql', 1843512, 'deploy', '2024-01-05 10:00:00', 31, true),
                (2, '1.1', 'create products', 'SQL', 'V1.1__create_products.sql', -88120, 'deploy', '2024-01-05 10:00:01', 12, true),
                (3, '1.2', 'product functions', 'SQL', 'V1.2__product_functions.sql', 99, 'deploy', '2024-02-01 08:30:00', 7, true),
                (4, NULL, 'product summary', 'SQL', 'R__product_summary.sql', 4242, 'deploy', '2024-02-01 08:30:00', 3, true),
                (5, '1.3', 'gone', 'SQL', 'V1.3__gone.sql', 5, 'deploy', '2024-02-01 08:30:01', 2, true);
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.Flyway);

        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1_0000, 1_0001, 1_0002 }));
        Assert.That(result.Skipped.Select(s => (s.SourceVersion, s.Reason)), Is.EqualTo(new (string?, string)[]
        {
            (null, "a Flyway repeatable migration: CodeMigrations has none"),
            ("1.3", "no loaded class has this version"),
        }));
        Assert.That(result.Pending.Select(m => m.Version), Is.EqualTo(new long[] { 2_0000 }));
        await using var connection = new NpgsqlConnection(connectionString);
        var rows = (await connection.QueryAsync<(long, string, long, bool)>("""
            SELECT h.version, h.applied_by, h.execution_ms, h.applied_at = f.installed_on::timestamptz
            FROM public.migration_history h JOIN flyway_schema_history f ON f.installed_rank = CASE h.version WHEN 10000 THEN 1 WHEN 10001 THEN 2 ELSE 3 END
            ORDER BY h.version
            """)).AsList();
        Assert.That(rows, Is.EqualTo(new[] { (10000L, "deploy", 31L, true), (10001L, "deploy", 12L, true), (10002L, "deploy", 7L, true) }));
    }

    [Test]
    public async Task A_failed_flyway_migration_is_refused_and_nothing_is_recorded()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromFlyway), FlywayTable + """
            ;INSERT INTO "public"."flyway_schema_history" VALUES
                (1, '1', 'create enums', 'SQL', 'V1__create_enums.sql', 1, 'deploy', '2024-01-05 10:00:00', 31, true),
                (2, '1.1', 'create products', 'SQL', 'V1.1__create_products.sql', 2, 'deploy', '2024-01-05 10:00:01', 12, false);
            """);

        var error = (await Assert.ThrowsAsync<HistoryImportException>(() => importer.ImportAsync(ForeignMigrationTool.Flyway)))!;

        Assert.That(error.Message, Is.EqualTo(
            "Flyway's flyway_schema_history records a failed migration: 1.1 'create products' (V1.1__create_products.sql, installed_rank 2). " +
            "Nothing was recorded. Undo or finish what it left by hand, run 'flyway repair' (it removes the failed rows), and run import-history again."));
        Assert.That(await HistoryAsync(connectionString), Is.Empty);
    }

    [Test]
    public async Task A_flyway_baseline_records_every_class_up_to_its_version_and_an_undone_version_is_not_recorded()
    {
        var (_, importer) = await PrepareAsync(typeof(FromFlyway), FlywayTable + """
            ;INSERT INTO "public"."flyway_schema_history" VALUES
                (1, '1.1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL, 'deploy', '2024-01-05 10:00:00', 0, true),
                (2, '1.2', 'product functions', 'SQL', 'V1.2__product_functions.sql', 3, 'deploy', '2024-01-06 10:00:00', 5, true),
                (3, '2', 'products index', 'SQL', 'V2__products_index.sql', 4, 'deploy', '2024-01-07 10:00:00', 5, true),
                (4, '2', 'products index', 'UNDO_SQL', 'U2__products_index.sql', 5, 'deploy', '2024-01-08 10:00:00', 5, true);
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.Flyway);

        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1_0000, 1_0001, 1_0002 }));
        Assert.That(result.Pending.Select(m => m.Version), Is.EqualTo(new long[] { 2_0000 }));
    }

    [Test]
    public async Task DbUp_script_names_match_the_imported_file_or_the_number_in_the_name()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromDbUp), DbUpTable + """
            ;insert into "schemaversions" (ScriptName, Applied) values
                ('MyApp.Scripts.Script0001 - Create tables.sql', '2023-03-01 09:00:00'),
                ('MyApp.Scripts.Script0002 - Seed.sql', '2023-03-01 09:00:01'),
                ('MyApp.Scripts.Script0099 - Gone.sql', '2023-03-02 09:00:00'),
                ('MyApp.Scripts.readme.sql', '2023-03-02 09:00:00');
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.DbUp);

        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(result.Skipped.Select(s => (s.SourceVersion, s.Description, s.Reason)), Is.EqualTo(new (string?, string?, string)[]
        {
            ("0099", "MyApp.Scripts.Script0099 - Gone.sql", "no loaded class has this version"),
            (null, "MyApp.Scripts.readme.sql", "no version in its name"),
        }));
        Assert.That(await HistoryAsync(connectionString), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task FluentMigrator_versions_are_recorded_as_they_are()
    {
        var (connectionString, importer) = await PrepareAsync(typeof(FromFluentMigrator), FluentMigratorTable + """
            INSERT INTO "public"."VersionInfo" ("Version", "AppliedOn", "Description") VALUES
                (20240101120000, '2024-01-01 12:00:05', 'CreateCustomers'),
                (20240102120000, '2024-01-02 12:00:05', 'AddEmail');
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.FluentMigrator);

        Assert.That(result.SourceTable, Is.EqualTo("\"VersionInfo\""));
        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 20240101120000, 20240102120000 }));
        Assert.That(result.Pending.Select(m => m.Version), Is.EqualTo(new long[] { 20240103120000 }));
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.That(await connection.ExecuteScalarAsync<bool>("""
            SELECT h.applied_at = v."AppliedOn"::timestamptz FROM public.migration_history h JOIN "VersionInfo" v ON v."Version" = h.version WHERE h.version = 20240101120000
            """), Is.True);
    }

    [Test]
    public async Task Diesel_versions_are_matched_through_the_imported_dashed_versions_including_its_initial_setup()
    {
        var (_, importer) = await PrepareAsync(typeof(FromDiesel), DieselTable + """
            INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000'), ('20240110080000');
            """);

        var result = await importer.ImportAsync(ForeignMigrationTool.Diesel);

        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1, 20240110080000 }));
        Assert.That(result.Pending.Select(m => m.Version), Is.EqualTo(new long[] { 20240111090000 }));
    }

    [Test]
    public async Task Dbmate_versions_are_recorded_and_importing_again_records_nothing_new()
    {
        var (_, importer) = await PrepareAsync(typeof(FromDbmate), DbmateTable + """
            ;insert into "public"."schema_migrations" (version) values ('20240101090000'), ('20240101090500');
            """);

        var first = await importer.ImportAsync(ForeignMigrationTool.Dbmate);
        var second = await importer.ImportAsync(ForeignMigrationTool.Dbmate);

        Assert.That(first.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 20240101090000, 20240101090500 }));
        Assert.That(second.Recorded, Is.Empty);
        Assert.That(second.AlreadyRecorded.Select(m => m.Version), Is.EqualTo(new long[] { 20240101090000, 20240101090500 }));
    }

    [Test]
    public async Task A_history_table_elsewhere_is_read_when_named()
    {
        var (_, importer) = await PrepareAsync(typeof(FromFlyway), "CREATE SCHEMA meta;" + FlywayTable.Replace("\"public\"", "\"meta\"", StringComparison.Ordinal) + """
            ;INSERT INTO meta.flyway_schema_history VALUES (1, '1', 'create enums', 'SQL', 'V1__create_enums.sql', 1, 'deploy', '2024-01-05 10:00:00', 31, true);
            """);

        var missing = (await Assert.ThrowsAsync<HistoryImportException>(() => importer.ImportAsync(ForeignMigrationTool.Flyway)))!;
        var result = await importer.ImportAsync(ForeignMigrationTool.Flyway, "meta.flyway_schema_history");

        Assert.That(missing.Message, Does.StartWith("No table flyway_schema_history in Host=").And.Contain("give it with --table SCHEMA.NAME. Nothing was recorded."));
        Assert.That(result.SourceTable, Is.EqualTo("meta.flyway_schema_history"));
        Assert.That(result.Recorded.Select(m => m.Version), Is.EqualTo(new long[] { 1_0000 }));
    }

    [TestCase("golang-migrate", ForeignMigrationTool.GolangMigrate)]
    [TestCase("FluentMigrator", ForeignMigrationTool.FluentMigrator)]
    [TestCase("dbup", ForeignMigrationTool.DbUp)]
    public void A_tool_is_parsed_from_its_name(string name, ForeignMigrationTool expected) =>
        Assert.That(ForeignMigrationTools.Parse(name), Is.EqualTo(expected));

    [TestCase("MyApp.Scripts.Script0001 - Create tables.sql", "0001")]
    [TestCase("Scripts/20230915120000_create_users.sql", "20230915120000")]
    [TestCase("MyApp.Migrations.V3_add_index.sql", "3")]
    [TestCase("MyApp.Migrations.readme.sql", null)]
    public void A_dbup_script_name_gives_the_number_at_the_start_of_its_file_name(string scriptName, string? expected) =>
        Assert.That(ImportVersionRules.FromScriptName(scriptName), Is.EqualTo(expected));
}
