using System.Globalization;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Reads <c>postmaster.pid</c>, the file a running server keeps in its data directory: its process id (line 1), its
/// port (line 4) and, once it accepts connections, <c>ready</c> (line 8). A file whose process is gone is stale.
/// </summary>
internal static class PostmasterPidFile
{
    private const string FileName = "postmaster.pid";

    /// <summary>Whether the file exists at all, stale or not.</summary>
    public static bool Exists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, FileName));

    /// <summary>Whether the process the file names still runs.</summary>
    public static bool IsServerAlive(string dataDirectory) => Read(dataDirectory) is { } lines && IsAlive(lines[0]);

    /// <summary>The port of the server running on <paramref name="dataDirectory"/>, ready or not; null when none runs.</summary>
    public static int? RunningPort(string dataDirectory)
    {
        var lines = Read(dataDirectory);
        return lines is not null && IsAlive(lines[0]) && lines.Length >= 4 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
            ? port
            : null;
    }

    /// <summary>
    /// The port of the server running on <paramref name="dataDirectory"/>, once it is ready; null when none runs
    /// (no postmaster.pid, or a stale one left by a dead process).
    /// </summary>
    /// <exception cref="InvalidOperationException">A server runs but did not become ready within <paramref name="timeout"/>.</exception>
    public static async Task<int?> WaitForReadyPortAsync(string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = Read(dataDirectory);
            if (lines is null || !IsAlive(lines[0]))
            {
                return null;
            }

            if (lines.Length >= 8 && lines[7].Trim() == "ready" && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"A PostgreSQL server is running on {dataDirectory} but did not become ready "
                    + $"within {timeout.TotalSeconds:0} s (postmaster.pid status: '{(lines.Length >= 8 ? lines[7].Trim() : "?")}').");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static string[]? Read(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, FileName);
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return lines.Length > 0 && lines[0].Trim().Length > 0 ? lines : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(string pidText)
    {
        if (!int.TryParse(pidText.Trim(), CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
