using System.Security.Cryptography;
using System.Text;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Where clusters live: throwaway ones in <c>/tmp/codemigrations-pg-&lt;random&gt;/data</c>, persistent ones in the folder
/// asked for, or under <c>/var/tmp/codemigrations</c> when the postgres user cannot reach it; and what a data folder holds.
/// </summary>
internal static class ClusterDirectories
{
    private const string TemporaryPrefix = "codemigrations-pg-";
    private const string VersionFileName = "PG_VERSION";

    /// <summary>Creates a fresh throwaway cluster folder, traversable by everyone, and returns its path.</summary>
    public static string CreateTemporaryRoot()
    {
        var root = Path.Combine(TemporaryParent, TemporaryPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)));
        FileSystemAccess.CreateTraversableDirectory(root);
        return root;
    }

    /// <summary>The throwaway cluster folders there are now, ours or other processes'; none when the parent cannot be read.</summary>
    public static IReadOnlyList<string> TemporaryRoots()
    {
        try
        {
            return Directory.GetDirectories(TemporaryParent, TemporaryPrefix + "*");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The data directory inside a throwaway cluster folder.</summary>
    public static string DataDirectoryOf(string temporaryRoot) => Path.Combine(temporaryRoot, "data");

    /// <summary>Whether <paramref name="dataDirectory"/> holds a cluster (initdb has run there).</summary>
    public static bool HoldsCluster(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, VersionFileName));

    /// <summary>The major version of the cluster in <paramref name="dataDirectory"/>, e.g. <c>15</c>; null when there is none.</summary>
    public static string? ReadVersion(string dataDirectory)
    {
        try
        {
            var file = Path.Combine(dataDirectory, VersionFileName);
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="requested"/> (a full path) when the server's user can reach it, else its stand-in
    /// <c>/var/tmp/codemigrations/&lt;hash of the path&gt;</c>, the same one every time.
    /// </summary>
    public static async Task<string> PersistentAsync(string requested, CancellationToken cancellationToken)
    {
        if (await FileSystemAccess.IsReachableByServerUserAsync(requested, cancellationToken))
        {
            return requested;
        }

        var parent = Path.Combine("/var/tmp", "codemigrations");
        FileSystemAccess.CreateTraversableDirectory(parent);
        return Path.Combine(parent, ShortHash(requested));
    }

    /// <summary>Creates <paramref name="directory"/> for a new cluster, mode 700, owned by the server's user.</summary>
    /// <exception cref="InvalidOperationException">It exists and holds files, but no cluster.</exception>
    public static async Task PrepareEmptyAsync(string directory, CancellationToken cancellationToken)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new InvalidOperationException($"'{directory}' holds files but no PostgreSQL cluster (no {VersionFileName}); "
                + "use an empty or missing folder for a new cluster.");
        }

        FileSystemAccess.CreateTraversableParents(directory);
        Directory.CreateDirectory(directory);
        await FileSystemAccess.GiveToServerUserAsync(directory, privateMode: true, cancellationToken);
    }

    /// <summary>Twelve hex digits of the path's SHA-256: a short, stable file name for it.</summary>
    public static string ShortHash(string path) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..12];

    private static string TemporaryParent =>
        !OperatingSystem.IsWindows() && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
}
