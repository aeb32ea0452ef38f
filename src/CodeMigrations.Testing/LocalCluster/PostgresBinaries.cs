namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Finds the folder of the PostgreSQL binaries: one holding <c>pg_ctl</c>, <c>initdb</c> and <c>postgres</c>.
/// </summary>
internal static class PostgresBinaries
{
    /// <summary>The environment variable that may name the folder of the PostgreSQL binaries.</summary>
    public const string EnvironmentVariable = "CODEMIGRATIONS_PG_BIN";

    private static readonly string[] Tools = ["pg_ctl", "initdb", "postgres"];

    /// <summary>
    /// <paramref name="preferred"/> when given, else the environment variable, else the highest version under
    /// <c>/usr/lib/postgresql/*/bin</c>, else the folder of <c>pg_ctl</c> on the PATH, else other usual places
    /// (<c>/usr/pgsql-*/bin</c>, Homebrew). A folder named explicitly (argument or environment) is the only one considered.
    /// </summary>
    /// <returns>The full path of the folder, or null when there is none.</returns>
    public static string? Find(string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            return HasTools(preferred) ? Path.GetFullPath(preferred) : null;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return HasTools(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        }

        return VersionedFolders("/usr/lib/postgresql", "*", "bin").FirstOrDefault(HasTools)
            ?? FindOnPath()
            ?? VersionedFolders("/usr", "pgsql-*", "bin")
                .Concat(VersionedFolders("/opt/homebrew/opt", "postgresql*", "bin"))
                .Concat(VersionedFolders("/usr/local/opt", "postgresql*", "bin"))
                .Append("/usr/local/pgsql/bin")
                .FirstOrDefault(HasTools);
    }

    /// <summary>
    /// Like <see cref="Find"/>, but an existing cluster of major version <paramref name="dataVersion"/> gets the binaries
    /// of its own version when nothing was named explicitly.
    /// </summary>
    /// <exception cref="PostgresUnavailableException">No binaries were found; the message says how to get them.</exception>
    public static string Require(string? preferred, string? dataVersion)
    {
        if (preferred is null && dataVersion is not null
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)))
        {
            var matching = Path.Combine("/usr/lib/postgresql", dataVersion, "bin");
            if (HasTools(matching))
            {
                return matching;
            }
        }

        return Find(preferred) ?? throw new PostgresUnavailableException(DescribeMissing(preferred) + " "
            + "Install PostgreSQL (e.g. `apt-get install -y postgresql`) or set " + EnvironmentVariable
            + " to the folder holding pg_ctl, initdb and postgres.");
    }

    /// <summary>Why no binaries were found, in one sentence.</summary>
    public static string DescribeMissing(string? preferred)
    {
        if (!string.IsNullOrWhiteSpace(preferred))
        {
            return $"The PostgreSQL binaries folder '{preferred}' does not hold pg_ctl, initdb and postgres.";
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return !string.IsNullOrWhiteSpace(fromEnvironment)
            ? $"{EnvironmentVariable}='{fromEnvironment}' does not hold pg_ctl, initdb and postgres."
            : "No PostgreSQL binaries were found (looked in /usr/lib/postgresql/*/bin, on the PATH, /usr/pgsql-*/bin and Homebrew).";
    }

    /// <summary>The full path of <paramref name="tool"/> (<c>pg_ctl</c>, <c>initdb</c>) in <paramref name="binaries"/>.</summary>
    public static string ToolPath(string binaries, string tool) => Path.Combine(binaries, Executable(tool));

    private static string Executable(string tool) => OperatingSystem.IsWindows() ? tool + ".exe" : tool;

    private static bool HasTools(string directory) =>
        Directory.Exists(directory) && Tools.All(tool => File.Exists(ToolPath(directory, tool)));

    private static IEnumerable<string> VersionedFolders(string parent, string pattern, string child)
    {
        string[] folders;
        try
        {
            folders = Directory.Exists(parent) ? Directory.GetDirectories(parent, pattern) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folders = [];
        }

        return folders
            .OrderByDescending(folder => VersionOf(Path.GetFileName(folder)))
            .ThenByDescending(folder => folder, StringComparer.Ordinal)
            .Select(folder => Path.Combine(folder, child));
    }

    private static Version VersionOf(string name)
    {
        var digits = new string(name.SkipWhile(c => !char.IsDigit(c)).TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()).TrimEnd('.');
        if (!digits.Contains('.', StringComparison.Ordinal))
        {
            digits += ".0";
        }

        return Version.TryParse(digits, out var version) ? version : new Version(0, 0);
    }

    private static string? FindOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var pgCtl = ToolPath(folder, "pg_ctl");
            if (!File.Exists(pgCtl))
            {
                continue;
            }

            // Debian puts a pg_ctl link on the PATH but not initdb: follow the link to the real folder.
            try
            {
                var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true);
                var targetFolder = target is null ? null : Path.GetDirectoryName(target.FullName);
                if (targetFolder is not null && HasTools(targetFolder))
                {
                    return targetFolder;
                }
            }
            catch (IOException)
            {
                // A broken link: try the folder itself.
            }

            if (HasTools(folder))
            {
                return Path.GetFullPath(folder);
            }
        }

        return null;
    }
}
