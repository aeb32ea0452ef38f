namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Folder creation and ownership for cluster directories. When we run as root, the server runs as the postgres user,
/// so its folders must belong to that user and every parent must be traversable by it.
/// </summary>
internal static class FileSystemAccess
{
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Mode700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the missing folders of <paramref name="path"/> (but not the last one) with mode 755.</summary>
    public static void CreateTraversableParents(string path)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null || Directory.Exists(parent))
        {
            return;
        }

        CreateTraversableParents(parent);
        Directory.CreateDirectory(parent);
        SetMode(parent, Mode755);
    }

    /// <summary>Creates (if needed) a folder with mode 755 that everyone can traverse.</summary>
    public static void CreateTraversableDirectory(string path)
    {
        CreateTraversableParents(path);
        Directory.CreateDirectory(path);
        SetMode(path, Mode755);
    }

    /// <summary>Gives a folder to the server's user: chown postgres when we are root.</summary>
    public static async Task GiveToServerUserAsync(string path, bool privateMode, CancellationToken cancellationToken)
    {
        if (privateMode)
        {
            SetMode(path, Mode700);
        }

        if (ProcessRunner.RunAsPostgresUser)
        {
            await ProcessRunner.RunCheckedAsync("chown", ["postgres", path], cancellationToken);
        }
    }

    /// <summary>
    /// Whether the server's user can reach <paramref name="path"/>: always when we are not root; as root, whether the postgres
    /// user can traverse the deepest existing folder on the way to it.
    /// </summary>
    public static async Task<bool> IsReachableByServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (!ProcessRunner.RunAsPostgresUser)
        {
            return true;
        }

        var existing = path;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return false;
            }
        }

        var result = await ProcessRunner.RunToolAsync("test", ["-x", existing], cancellationToken, TimeSpan.FromSeconds(30));
        return result.Succeeded;
    }

    /// <summary>Makes sure the server has a user to run as: when we are root, the postgres user must exist.</summary>
    /// <exception cref="PostgresUnavailableException">We run as root and there is no postgres user; the message says how to make one.</exception>
    public static async Task RequireServerUserAsync(CancellationToken cancellationToken)
    {
        if (!await ServerUserExistsAsync(cancellationToken))
        {
            throw new PostgresUnavailableException("We run as root, and PostgreSQL refuses to run as root, but there is no 'postgres' "
                + "user to run it as. Create one (`useradd --system postgres`; installing the postgresql package does it) "
                + "or run as a regular user.");
        }
    }

    /// <summary>Whether a postgres user exists, which running as root requires.</summary>
    private static async Task<bool> ServerUserExistsAsync(CancellationToken cancellationToken)
    {
        if (!ProcessRunner.RunAsPostgresUser)
        {
            return true;
        }

        try
        {
            var result = await ProcessRunner.RunAsync("id", ["-u", "postgres"], asPostgresUser: false, cancellationToken, TimeSpan.FromSeconds(10));
            return result.Succeeded;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Deletes a folder tree, tolerating one that is already gone; retries briefly if files are still being closed.</summary>
    public static void DeleteDirectory(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (attempt < 5 && e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
