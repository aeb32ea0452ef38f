using CodeMigrations.Importing;

namespace CodeMigrations.Tests.Importing;

[Parallelizable(ParallelScope.All)]
public sealed class MigrationImportWriterTests
{
    private static readonly string CliProject = Path.GetFullPath(Path.Combine(ImportFixtures.Root, "../../../../src/CodeMigrations.Cli/CodeMigrations.Cli.csproj"));

    private static async Task<(MigrationSource Source, MigrationImportResult Result)> ImportAsync(MigrationSourceFormat format, string output, string? @namespace = null)
    {
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(format), format);
        var result = await MigrationImportWriter.WriteAsync(source, new MigrationImportOptions
        {
            OutputDirectory = output,
            Namespace = @namespace,
            CliProjectPath = CliProject,
        });
        return (source, result);
    }

    [TestCase(MigrationSourceFormat.UpDown)]
    [TestCase(MigrationSourceFormat.GolangMigrate)]
    [TestCase(MigrationSourceFormat.Dbmate)]
    [TestCase(MigrationSourceFormat.Diesel)]
    [TestCase(MigrationSourceFormat.Flyway)]
    public async Task Every_source_file_is_copied_byte_for_byte(MigrationSourceFormat format)
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var (source, result) = await ImportAsync(format, Path.Combine(folder.Path, "Out"));

        // Put back together per source file, the copies are the source files exactly (dbmate's halves included).
        var copies = source.Migrations.SelectMany(m => m.Files)
            .GroupBy(f => f.SourcePath)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.Offset).SelectMany(f => File.ReadAllBytes(Path.Combine(result.OutputDirectory, "Sql", f.FileName))).ToArray());
        var sources = Directory.GetFiles(source.Directory, "*.sql", SearchOption.AllDirectories)
            .Where(p => source.Unsupported.All(u => u.Path != p))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(copies.Keys.Order(StringComparer.Ordinal), Is.EqualTo(sources));
        foreach (var path in sources)
            Assert.That(copies[path], Is.EqualTo(await File.ReadAllBytesAsync(path)), path);
        Assert.That(Directory.GetFiles(Path.Combine(result.OutputDirectory, "Sql")), Has.Length.EqualTo(source.Migrations.Sum(m => m.Files.Count)));
    }

    [Test]
    public async Task A_dbmate_file_with_both_sections_is_cut_at_the_start_of_its_down_marker_line()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var (_, result) = await ImportAsync(MigrationSourceFormat.Dbmate, folder.Path);

        var up = await File.ReadAllTextAsync(Path.Combine(folder.Path, "Sql", "20240103120000_open_tickets_view.up.sql"));
        var down = await File.ReadAllTextAsync(Path.Combine(folder.Path, "Sql", "20240103120000_open_tickets_view.down.sql"));
        Assert.That(up, Does.StartWith("-- migrate:up\nCREATE VIEW open_tickets AS").And.EndWith("WHERE status <> 'closed';\n\n"));
        Assert.That(down, Is.EqualTo("-- migrate:down\nDROP VIEW open_tickets;\n"));
        Assert.That(result.Migrations.Single(m => m.Source.Version == 20240101090500).SqlFiles, Is.EqualTo(new[] { "Sql/20240101090500_create_tickets.sql" }),
            "a file without a down section is copied whole, under its own name");
    }

    [Test]
    public async Task A_folder_outside_any_project_gets_a_console_host_project_that_embeds_the_sql_and_references_the_cli()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var output = Path.Combine(folder.Path, "Shop.Migrations");
        var (_, result) = await ImportAsync(MigrationSourceFormat.GolangMigrate, output);

        Assert.That(result.CreatedProject, Is.True);
        Assert.That(result.ProjectFile, Is.EqualTo(Path.Combine(output, "Shop.Migrations.csproj")));
        Assert.That(result.Namespace, Is.EqualTo("Shop.Migrations"));
        Assert.That(result.MissingEmbeddedResource, Is.Null);
        Assert.That(result.CliProjectReference, Is.EqualTo(CliProject));
        var project = await File.ReadAllTextAsync(result.ProjectFile);
        Assert.That(project, Does.Contain("<OutputType>Exe</OutputType>").And.Contain("<TargetFramework>net10.0</TargetFramework>")
            .And.Contain("<RootNamespace>Shop.Migrations</RootNamespace>")
            .And.Contain("<EmbeddedResource Include=\"Sql/**/*.sql\" />")
            .And.Contain($"<ProjectReference Include=\"{Path.GetRelativePath(output, CliProject)}\" />"));
        Assert.That(System.Xml.Linq.XDocument.Parse(project).Root!.Name.LocalName, Is.EqualTo("Project"), "well-formed XML");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "Program.cs")), Does.Contain("return await MigrationCli.RunAsync(args, typeof(Program).Assembly);"));
        Assert.That(result.Migrations.Select(m => Path.GetFileName(m.ClassFile)), Is.EqualTo(new[]
        {
            "V1_CreateOrderStatus.cs", "V2_CreateAccounts.cs", "V3_CreateOrders.cs", "V4_OrderFunctions.cs", "V5_OrdersByAccountIndex.cs",
        }));
    }

    [Test]
    public async Task The_generated_classes_read_their_sql_with_execute_script_and_carry_version_irreversibility_and_origin()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var (_, result) = await ImportAsync(MigrationSourceFormat.Flyway, folder.Path, "Catalog.Db");

        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.Path, "V100010000_CreateProducts.cs")), Is.EqualTo("""
            using CodeMigrations;
            using CodeMigrations.Importing;

            namespace Catalog.Db;

            /// <summary>create products: imported from flyway (V1.1__create_products.sql, copied unchanged to Sql/).</summary>
            [Migration(1_0001_0000, Description = "create products")]
            [Irreversible("imported from flyway without a down migration")]
            [ImportedMigration("flyway", "1.1", Source = "V1.1__create_products.sql")]
            public sealed class CreateProducts : Migration
            {
                /// <inheritdoc />
                public override void Up() => ExecuteScript("Sql/V1.1__create_products.sql");

                /// <inheritdoc />
                public override void Down()
                {
                    // Irreversible: see the attribute above.
                }
            }

            """));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.Path, "V200000000_ProductsSkuIndex.cs")), Does.Contain("""
            [Migration(2_0000_0000, Description = "products sku index", UseTransaction = false)]
            [ImportedMigration("flyway", "2", Source = "release2/V2__products_sku_index.sql")]
            public sealed class ProductsSkuIndex : Migration
            {
                /// <inheritdoc />
                public override void Up() => ExecuteScript("Sql/V2__products_sku_index.sql");

                /// <inheritdoc />
                public override void Down() => ExecuteScript("Sql/U2__products_sku_index.sql");
            }
            """));
        Assert.That(result.Unsupported.Select(u => Path.GetFileName(u.Path)), Is.EqualTo(new[] { "R__product_summary.sql" }));
    }

    [Test]
    public async Task Updown_classes_take_the_sections_and_wrapped_files_are_read_without_their_own_transaction()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        await ImportAsync(MigrationSourceFormat.UpDown, folder.Path);
        await ImportAsync(MigrationSourceFormat.GolangMigrate, Path.Combine(folder.Path, "Golang"));

        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.Path, "V20230903000000_EditorsView.cs")), Does.Contain("""
                public override void Up() => ExecuteScript("Sql/20230903000000_editors_view.sql", ScriptSection.Up);

                /// <inheritdoc />
                public override void Down() => ExecuteScript("Sql/20230903000000_editors_view.sql", ScriptSection.Down);
            """));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.Path, "Golang", "V3_CreateOrders.cs")), Does.Contain("""
                public override void Up() => Execute(ImportedScripts.ReadWithoutOwnTransaction(GetType().Assembly, "Sql/000003_create_orders.up.sql"));
            """));
    }

    [Test]
    public async Task A_folder_inside_a_project_gets_only_classes_and_sql_in_the_project_namespace_and_the_line_it_lacks()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><RootNamespace>Shop.App</RootNamespace></PropertyGroup></Project>");
        var (_, result) = await ImportAsync(MigrationSourceFormat.Diesel, Path.Combine(folder.Path, "App", "Db", "Migrations"));

        Assert.That(result.CreatedProject, Is.False);
        Assert.That(result.ProjectFile, Is.EqualTo(Path.Combine(folder.Path, "App", "App.csproj")));
        Assert.That(result.Namespace, Is.EqualTo("Shop.App.Db.Migrations"));
        Assert.That(result.MissingEmbeddedResource, Is.EqualTo("<EmbeddedResource Include=\"Db/Migrations/Sql/**/*.sql\" />"));
        Assert.That(File.Exists(Path.Combine(folder.Path, "App", "Db", "Migrations", "Program.cs")), Is.False);
        Assert.That(Directory.GetFiles(Path.Combine(folder.Path, "App"), "*.csproj", SearchOption.AllDirectories), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_project_that_embeds_the_copied_files_already_needs_no_line()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("Migrations/Migrations.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><EmbeddedResource Include=\"Sql\\*.sql;Other/**/*.txt\" /></ItemGroup></Project>");

        var (_, result) = await ImportAsync(MigrationSourceFormat.GolangMigrate, Path.Combine(folder.Path, "Migrations"));

        Assert.That(result.MissingEmbeddedResource, Is.Null);
        Assert.That(result.Namespace, Is.EqualTo("Migrations"));
    }

    [Test]
    public async Task Importing_again_changes_nothing_and_a_changed_file_is_never_overwritten()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var (_, first) = await ImportAsync(MigrationSourceFormat.Dbmate, folder.Path);
        var (_, second) = await ImportAsync(MigrationSourceFormat.Dbmate, folder.Path);
        Assert.That(second.Written, Is.Empty);
        Assert.That(second.CreatedProject, Is.False, "the project written the first time holds the folder now");
        Assert.That(second.MissingEmbeddedResource, Is.Null);
        Assert.That(second.Unchanged, Is.EquivalentTo(first.Written.Where(f => !f.EndsWith(".csproj", StringComparison.Ordinal) && !f.EndsWith("Program.cs", StringComparison.Ordinal))));

        var edited = first.Migrations[2].ClassFile;
        await File.AppendAllTextAsync(edited, "// mine\n");
        var removed = first.Migrations[3].ClassFile;
        File.Delete(removed);
        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => ImportAsync(MigrationSourceFormat.Dbmate, folder.Path)))!;

        Assert.That(error.Problems, Is.EqualTo(new[] { $"{edited} exists with other content: move it away or choose another --out folder (import never overwrites a file)." }));
        Assert.That(File.Exists(removed), Is.False, "nothing is written when anything is refused");
    }

    [Test]
    public async Task Class_names_that_meet_or_are_reserved_get_their_version()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        folder.File("in/1_add_index.up.sql", "CREATE INDEX a ON t (a);");
        folder.File("in/2_add_index.up.sql", "CREATE INDEX b ON t (b);");
        folder.File("in/3_migration.up.sql", "SELECT 1;");
        folder.File("in/4_2fa-setup.up.sql", "SELECT 1;");
        folder.File("in/5_.up.sql", "SELECT 1;");
        var source = await MigrationSourceReader.ReadAsync(Path.Combine(folder.Path, "in"), MigrationSourceFormat.GolangMigrate);

        var result = await MigrationImportWriter.WriteAsync(source, new MigrationImportOptions { OutputDirectory = Path.Combine(folder.Path, "out"), CliProjectPath = CliProject });

        Assert.That(result.Migrations.Select(m => m.ClassName), Is.EqualTo(new[] { "AddIndexV1", "AddIndexV2", "MigrationV3", "Migration2faSetup", "Migration5" }));
    }

    [Test]
    public async Task A_bad_namespace_or_cli_project_is_refused_before_anything_is_written()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();
        var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(MigrationSourceFormat.Diesel), MigrationSourceFormat.Diesel);

        var error = (await Assert.ThrowsAsync<MigrationImportException>(() => MigrationImportWriter.WriteAsync(source,
            new MigrationImportOptions { OutputDirectory = folder.Path, Namespace = "My-App.1st", CliProjectPath = "/nowhere/CodeMigrations.Cli.csproj" })))!;

        Assert.That(error.Problems, Is.EqualTo(new[]
        {
            "'My-App.1st' is not a C# namespace: use identifiers separated by dots, such as Blog.Migrations.",
            "--cli-project /nowhere/CodeMigrations.Cli.csproj: /nowhere/CodeMigrations.Cli.csproj is not a project file; give the path of CodeMigrations.Cli.csproj.",
        }));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [TestCase("create_users", "CreateUsers")]
    [TestCase("Add FK (orders)", "AddFKOrders")]
    [TestCase("créer_table", "CréerTable")]
    [TestCase("add-column_email", "AddColumnEmail")]
    [TestCase("class", "Class")]
    public void A_class_name_is_the_name_in_pascal_case(string name, string expected) =>
        Assert.That(MigrationImportWriter.ClassName(name, 1), Is.EqualTo(expected));
}
