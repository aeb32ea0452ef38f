using System.IO.Compression;
using System.Xml.Linq;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>What every packed package carries: the metadata from Directory.Build.props, its readme, the license, docs and symbols.</summary>
public sealed class PackageMetadataTests
{
    /// <summary>Every project under src/ ships, new ones too, with no packaging lines of their own; unless it opts out (an analyzer packed inside another package would).</summary>
    private static IEnumerable<string> ShippedProjects() =>
        Directory.GetDirectories(Path.Combine(PackedPackages.RepositoryRoot, "src"))
            .Select(folder => Path.Combine(folder, Path.GetFileName(folder) + ".csproj"))
            .Where(project => File.Exists(project) && !File.ReadAllText(project).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)!;

    [Test]
    public void Packing_the_solution_gives_one_package_and_one_symbol_package_per_project_under_src_and_no_other()
    {
        Assert.That(PackedPackages.Packages.Select(p => p.Id), Is.EqualTo(ShippedProjects()));
        Assert.That(PackedPackages.Version, Does.Match(@"^\d+\.\d+\.\d+"));
        foreach (var package in PackedPackages.Packages)
            Assert.That(package.SymbolsPath, Does.Exist, $"{package.Id} has its .snupkg");
    }

    [TestCaseSource(nameof(ShippedProjects))]
    public void A_package_carries_the_shared_metadata_its_own_description_and_the_repository_commit(string id)
    {
        var metadata = Metadata(PackedPackages.Get(id));

        Assert.That(Value(metadata, "authors"), Is.EqualTo("CodeMigrations contributors"));
        Assert.That(Value(metadata, "description"), Is.Not.Empty.And.Not.EqualTo("Package Description"));
        Assert.That(Value(metadata, "tags"), Does.Contain("postgresql").And.Contain("migrations"));
        var license = metadata.Element(metadata.Name.Namespace + "license");
        Assert.That(license?.Attribute("type")?.Value, Is.EqualTo("expression"));
        Assert.That(license?.Value, Is.EqualTo("MIT"));
        Assert.That(Value(metadata, "readme"), Is.EqualTo("README.md"));
        var repository = metadata.Element(metadata.Name.Namespace + "repository");
        Assert.That(repository?.Attribute("type")?.Value, Is.EqualTo("git"));
        Assert.That(repository?.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), "SourceLink stamps the commit the package was built from");
    }

    [TestCaseSource(nameof(ShippedProjects))]
    public void A_package_holds_its_own_readme_the_license_and_its_xml_docs_and_its_symbols_hold_the_pdb(string id)
    {
        var package = PackedPackages.Get(id);
        using (var zip = ZipFile.OpenRead(package.Path))
        {
            var readme = new StreamReader(zip.GetEntry("README.md")!.Open()).ReadToEnd();
            Assert.That(readme, Is.EqualTo(File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "src", id, "README.md"))),
                "the project's own short readme, not the repository's");
            Assert.That(new StreamReader(zip.GetEntry("LICENSE")!.Open()).ReadToEnd(), Does.StartWith("MIT License"));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            if (entries.Contains($"lib/net10.0/{id}.dll"))
                Assert.That(entries, Does.Contain($"lib/net10.0/{id}.xml"), "IntelliSense docs beside the library");
        }

        using var symbols = ZipFile.OpenRead(package.SymbolsPath);
        Assert.That(symbols.Entries.Select(e => Path.GetFileName(e.FullName)), Does.Contain($"{id}.pdb"));
    }

    [Test]
    public void A_package_depends_on_the_other_CodeMigrations_packages_at_the_version_packed_with_it()
    {
        var cli = Metadata(PackedPackages.Get("CodeMigrations.Cli"));
        var dependencies = cli.Descendants(cli.Name.Namespace + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value, StringComparer.Ordinal);

        Assert.That(dependencies, Does.ContainKey("CodeMigrations").WithValue(PackedPackages.Version));
    }

    private static XElement Metadata(PackedPackage package)
    {
        var nuspec = PackedPackage.ReadNuspec(package.Path);
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    private static string? Value(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;
}
