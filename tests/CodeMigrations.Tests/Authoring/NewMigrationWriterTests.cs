using CodeMigrations.Authoring;
using CodeMigrations.Loading;

namespace CodeMigrations.Tests.Authoring;

public sealed class NewMigrationWriterTests
{
    private string _root = null!;

    [SetUp]
    public void CreateProject()
    {
        _root = Path.Combine(Path.GetTempPath(), "cm-new-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "Data", "Migrations"));
        File.WriteAllText(Path.Combine(_root, "Shop.Api.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><RootNamespace>Shop</RootNamespace></PropertyGroup></Project>");
    }

    [TearDown]
    public void DeleteProject() => Directory.Delete(_root, recursive: true);

    [Test]
    public void A_new_migration_is_a_timestamped_class_in_the_namespace_of_its_project_and_folder()
    {
        var (path, version) = NewMigrationWriter.Write("AddEmailToUsers", Path.Combine(_root, "Data", "Migrations"), new DateTime(2026, 11, 24, 16, 45, 3, DateTimeKind.Utc), null);

        Assert.That(version, Is.EqualTo(20261124164503));
        Assert.That(Path.GetFileName(path), Is.EqualTo("20261124164503_AddEmailToUsers.cs"));
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("namespace Shop.Data.Migrations;").And.Contain("[Migration(20261124164503)]")
            .And.Contain("public sealed class AddEmailToUsers : Migration").And.Contain("public override void Down()"));
    }

    [Test]
    public void Without_a_RootNamespace_the_project_file_name_is_the_root()
    {
        File.WriteAllText(Path.Combine(_root, "Shop.Api.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");

        Assert.That(NewMigrationWriter.FindNamespace(Path.Combine(_root, "Data", "Migrations")), Is.EqualTo("Shop.Api.Data.Migrations"));
    }

    [TestCase("add-users")]
    [TestCase("2Users")]
    [TestCase("class")]
    [TestCase("")]
    public void A_name_that_is_not_a_CSharp_identifier_is_refused(string name) =>
        Assert.That(() => NewMigrationWriter.Write(name, _root, DateTime.UtcNow, null),
            Throws.TypeOf<MigrationException>().With.Message.Contains("is not a valid C# class name"));

    [Test]
    public void A_version_that_exists_already_is_refused_and_nothing_is_written()
    {
        var catalog = new MigrationCatalog([new MigrationInfo(20261124164503, "Existing", typeof(object), true)]);

        Assert.That(() => NewMigrationWriter.Write("Another", _root, new DateTime(2026, 11, 24, 16, 45, 3, DateTimeKind.Utc), catalog),
            Throws.TypeOf<MigrationException>().With.Message.Contains("Version 20261124164503 is already used by System.Object"));
        Assert.That(Directory.GetFiles(_root, "*.cs"), Is.Empty);
    }
}
