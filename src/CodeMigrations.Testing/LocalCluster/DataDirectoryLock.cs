namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// A lock per data directory between processes, so that of two commands starting the same persistent cluster at once,
/// one runs initdb and starts it and the other then finds it running.
/// </summary>
internal static class DataDirectoryLock
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Waits for the lock of <paramref name="dataDirectory"/>; disposing the result releases it.</summary>
    /// <exception cref="IOException">Another process held it for more than two minutes.</exception>
    public static async Task<IDisposable> AcquireAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        // One small file per data directory, kept (deleting a lock file races with its next user), in a folder of our own.
        var folder = Path.Combine(Path.GetTempPath(), "codemigrations-locks-" + Environment.UserName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ClusterDirectories.ShortHash(dataDirectory) + ".lock");
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
