using System.Globalization;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Cleans up after killed test runs: each throwaway cluster folder holds the stamp of the process that made it, and a
/// new throwaway cluster first stops and deletes the clusters whose process is gone.
/// </summary>
internal static class AbandonedClusters
{
    private const string OwnerFileName = "owner";

    /// <summary>Marks <paramref name="temporaryRoot"/> as this process's: its id and start time.</summary>
    public static async Task StampOwnerAsync(string temporaryRoot, CancellationToken cancellationToken)
    {
        using var current = System.Diagnostics.Process.GetCurrentProcess();
        var stamp = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {current.StartTime.ToUniversalTime().Ticks}");
        await File.WriteAllTextAsync(Path.Combine(temporaryRoot, OwnerFileName), stamp, cancellationToken);
    }

    /// <summary>
    /// Stops and deletes the throwaway clusters of processes that died without cleaning up (killed test runs).
    /// Folders without an owner stamp, or whose owner still runs, are left alone.
    /// </summary>
    public static async Task SweepAsync(ClusterControl control, CancellationToken cancellationToken)
    {
        foreach (var folder in ClusterDirectories.TemporaryRoots())
        {
            try
            {
                var ownerFile = Path.Combine(folder, OwnerFileName);
                if (!File.Exists(ownerFile) || OwnerIsAlive(await File.ReadAllTextAsync(ownerFile, cancellationToken)))
                {
                    continue;
                }

                var dataDirectory = ClusterDirectories.DataDirectoryOf(folder);
                await control.StopAsync(dataDirectory, ShutdownMode.Immediate, cancellationToken);
                if (PostmasterPidFile.IsServerAlive(dataDirectory))
                {
                    continue; // Still running (another major version's pg_ctl, say): leave it rather than pull the floor from under it.
                }

                FileSystemAccess.DeleteDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
            {
                // Best effort: someone else's leftovers must not stop our start.
            }
        }
    }

    private static bool OwnerIsAlive(string stamp)
    {
        var parts = stamp.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTicks))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            var started = process.StartTime.ToUniversalTime().Ticks;
            return !process.HasExited && Math.Abs(started - startTicks) < TimeSpan.TicksPerSecond * 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
