using System.Xml.Linq;

namespace CodeMigrations.Tests.Architecture;

/// <summary>
/// The packages' arrows point one way (DESIGN.md): hosts (Cli, Hosting, Testing) -> Verification/Design -> CodeMigrations.
/// Read from the project files, so a new package under src/ must be placed in a layer before it builds green here.
/// </summary>
public sealed class PackageArrowTests
{
    // A project may reference only projects of a lower layer. The tool is a host of the console host (it runs
    // MigrationCli over a user's assembly), so it alone sits above Cli.
    private static readonly Dictionary<string, int> Layers = new()
    {
        ["CodeMigrations"] = 0,
        // Packed inside CodeMigrations (analyzers/dotnet/cs) by its pack, not referenced: it references nothing of ours.
        ["CodeMigrations.Analyzers"] = 0,
        ["CodeMigrations.Analyzers.CodeFixes"] = 1,
        ["CodeMigrations.Verification"] = 1,
        ["CodeMigrations.Design"] = 1,
        ["CodeMigrations.Cli"] = 2,
        ["CodeMigrations.Hosting"] = 2,
        ["CodeMigrations.Testing"] = 2,
        ["CodeMigrations.Tool"] = 3,
    };

    [Test]
    public void Every_shipped_project_has_a_layer()
    {
        var unplaced = ShippedProjects().Keys.Where(name => !Layers.ContainsKey(name)).ToList();
        Assert.That(unplaced, Is.Empty, "Place these projects in PackageArrowTests.Layers: which packages may they use, and which may use them?");
    }

    [Test]
    public void Shipped_projects_reference_only_lower_layers()
    {
        var wrong = new List<string>();
        foreach (var (name, project) in ShippedProjects())
        {
            foreach (var reference in ProjectReferences(project))
            {
                if (!Layers.TryGetValue(name, out var from) || !Layers.TryGetValue(reference, out var to) || to >= from)
                    wrong.Add($"{name} -> {reference}");
            }
        }

        Assert.That(wrong, Is.Empty, "These arrows point sideways or up: move the shared code down a layer, or invert the dependency.");
    }

    [Test]
    public void The_core_references_no_other_package_of_ours()
    {
        var core = ShippedProjects()["CodeMigrations"];
        Assert.That(ProjectReferences(core), Is.Empty);
        Assert.That(typeof(Migration).Assembly.GetReferencedAssemblies().Select(a => a.Name).Where(n => n!.StartsWith("CodeMigrations", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Nothing_but_the_tool_references_the_console_host()
    {
        var users = ShippedProjects().Where(p => p.Key != "CodeMigrations.Tool" && ProjectReferences(p.Value).Contains("CodeMigrations.Cli")).Select(p => p.Key);
        Assert.That(users, Is.Empty);
    }

    [Test]
    public void No_shipped_package_shows_its_internals_to_another()
    {
        var shown = new List<string>();
        foreach (var (name, project) in ShippedProjects())
        {
            var friends = XDocument.Load(project).Descendants("InternalsVisibleTo").Select(e => (string?)e.Attribute("Include") ?? "");
            var folder = Path.GetDirectoryName(project)!;
            var inSource = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(f => File.ReadLines(f).Where(l => l.Contains("InternalsVisibleTo", StringComparison.Ordinal)).Select(_ => Path.GetFileName(f)));
            shown.AddRange(friends.Where(f => !f.EndsWith(".Tests", StringComparison.Ordinal)).Select(f => $"{name} -> {f}"));
            shown.AddRange(inSource.Select(f => $"{name}: {f} declares InternalsVisibleTo"));
        }

        Assert.That(shown, Is.Empty, "What one package needs from another is public API (tests may see internals).");
    }

    private static Dictionary<string, string> ShippedProjects() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => p);

    private static List<string> ProjectReferences(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? "").Replace('\\', '/')))
            .ToList();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CodeMigrations.sln")))
                return folder.FullName;
        }

        throw new InvalidOperationException($"No CodeMigrations.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
