using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>The analyzers packed inside CodeMigrations fire in a consuming project's build.</summary>
public sealed class AnalyzerTests
{
    private const string Migrations = """
        using CodeMigrations;

        namespace Shop;

        [Migration(20260101090000)]
        public sealed class CreateProducts : Migration
        {
            public override void Up() => Execute("CREATE TABLE products (id bigint PRIMARY KEY)");

            public override void Down() => Execute("DROP TABLE products");
        }

        [Migration(20260101090000)]
        public sealed class CreateOrders : Migration
        {
            public override void Up() => Execute("CREATE TABLE orders (id bigint PRIMARY KEY)");

            public override void Down() => Execute("DROP TABLE orders");
        }

        [Migration(20260101100000)]
        public sealed class IndexProducts : Migration
        {
            public override void Up() => Execute("CREATE INDEX ix_products_id ON products (id)");

            public override void Down() => Execute("DROP INDEX ix_products_id");
        }

        """;

    [Test]
    public async Task A_project_with_two_migrations_of_one_version_fails_to_build_naming_both()
    {
        await using var project = await FreshProject.CreateAsync("Shop", "classlib");
        var added = await project.DotnetAsync("add", "package", "CodeMigrations", "--version", PackedPackages.Version);
        Assert.That(added.ExitCode, Is.Zero, added.ToString());
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Migrations.cs"), Migrations);

        var build = await project.DotnetAsync("build", "--no-restore");

        Assert.That(build.ExitCode, Is.Not.Zero, build.ToString());
        Assert.That(build.Output, Does.Contain("error CM0001: Migrations Shop.CreateOrders and Shop.CreateProducts both have version 20260101090000"));
        Assert.That(build.Output, Does.Contain("warning CM1004: create-index-non-concurrently"), "the lint rules run on constant SQL too");
    }
}
