using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// Every package of the solution, packed once per test run (it wraps every test, being in the root namespace) by
/// <c>dotnet pack CodeMigrations.sln -c Release</c> into a temporary folder. When packing fails, every test fails with
/// pack's output.
/// </summary>
[SetUpFixture]
public sealed class PackedPackages
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    private static string? _folder;
    private static IReadOnlyList<PackedPackage>? _packages;
    private static Exception? _packFailure;

    /// <summary>The repository being packed (the folder of <c>CodeMigrations.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder holding every <c>.nupkg</c> and <c>.snupkg</c> of the solution.</summary>
    public static string Folder => _folder ?? throw NotPacked();

    /// <summary>The one version every package was packed with.</summary>
    public static string Version => Packages[0].Version;

    /// <summary>The packages in <see cref="Folder"/> (not the symbol packages), by id.</summary>
    public static IReadOnlyList<PackedPackage> Packages => _packages ?? throw NotPacked();

    /// <summary>How long packing took, for the test output.</summary>
    public static TimeSpan PackTime { get; private set; }

    /// <summary>The package with this id; fails the test when it was not packed.</summary>
    public static PackedPackage Get(string id) => Packages.SingleOrDefault(p => p.Id == id)
        ?? throw new AssertionException($"No package {id} was packed; the folder holds {string.Join(", ", Packages.Select(p => p.Id))}.");

    [OneTimeSetUp]
    public async Task PackAsync()
    {
        try
        {
            var folder = Path.Combine(Path.GetTempPath(), "codemigrations-packages-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(folder);
            _folder = folder;
            var pack = await CommandRunner.RunAsync(CommandRunner.Dotnet,
                ["pack", Path.Combine(RepositoryRoot, "CodeMigrations.sln"), "-c", "Release", "-o", folder], RepositoryRoot,
                new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDDISABLENODEREUSE"] = "1" },
                PackTimeout);
            if (!pack.Succeeded)
                throw new InvalidOperationException($"Packing the solution failed.{Environment.NewLine}{pack}");

            var packages = Directory.GetFiles(folder, "*.nupkg").Order(StringComparer.Ordinal).Select(PackedPackage.Read).ToList();
            if (packages.Count == 0)
                throw new InvalidOperationException($"Packing the solution produced no package.{Environment.NewLine}{pack}");
            var versions = packages.Select(p => p.Version).Distinct(StringComparer.Ordinal).ToList();
            if (versions.Count != 1)
                throw new InvalidOperationException(
                    $"The packages have {versions.Count} versions ({string.Join(", ", packages.Select(p => $"{p.Id} {p.Version}"))}): " +
                    "the version comes from one place, VersionPrefix in Directory.Build.props, and no project may set its own.");
            _packages = packages;
            PackTime = pack.Elapsed;
            await TestContext.Progress.WriteLineAsync(
                $"Packed {packages.Count} packages, version {versions[0]}, in {pack.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", packages.Select(p => p.Id))}");
        }
        catch (Exception e)
        {
            _packFailure = e;
            throw;
        }
    }

    [OneTimeTearDown]
    public void Delete()
    {
        var folder = Interlocked.Exchange(ref _folder, null);
        if (folder is not null && Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static InvalidOperationException NotPacked() => new(
        "The solution is not packed: " + (_packFailure?.Message ?? "the [SetUpFixture] PackedPackages has not run (yet)."), _packFailure);

    private static string FindRepositoryRoot()
    {
        var root = typeof(PackedPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        return File.Exists(Path.Combine(root, "CodeMigrations.sln"))
            ? root
            : throw new InvalidOperationException($"{root} holds no CodeMigrations.sln: the test assembly was built from another checkout.");
    }
}

/// <summary>One packed <c>.nupkg</c>: its id and version as its <c>.nuspec</c> says, and where it is.</summary>
public sealed record PackedPackage(string Id, string Version, string Path)
{
    /// <summary>The symbol package beside it.</summary>
    public string SymbolsPath => System.IO.Path.ChangeExtension(Path, ".snupkg");

    /// <summary>Reads the id and version from the package's <c>.nuspec</c>.</summary>
    public static PackedPackage Read(string path)
    {
        var nuspec = ReadNuspec(path);
        var metadata = nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
        return new PackedPackage(
            metadata.Element(metadata.Name.Namespace + "id")!.Value,
            metadata.Element(metadata.Name.Namespace + "version")!.Value,
            path);
    }

    /// <summary>The package's <c>.nuspec</c>.</summary>
    public static XDocument ReadNuspec(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
