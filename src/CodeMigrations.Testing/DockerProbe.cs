using System.Net.Sockets;
using System.Text;

namespace CodeMigrations.Testing;

/// <summary>
/// A quick check that a Docker engine answers, before Testcontainers is touched: without an engine, Testcontainers can take
/// long or throw late. Pings <c>/_ping</c> on DOCKER_HOST or on the usual socket paths, within about half a second each.
/// </summary>
internal static class DockerProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether an engine answered, and where (or why not), for messages.</summary>
    public static async Task<(bool Available, string Detail)> ProbeAsync(CancellationToken cancellationToken)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            if (dockerHost.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
            {
                var socketPath = dockerHost["unix://".Length..];
                return await PingAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken)
                    ? (true, dockerHost)
                    : (false, $"no Docker engine answered at DOCKER_HOST={dockerHost}");
            }

            if (dockerHost.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri))
            {
                var port = uri.Port > 0 ? uri.Port : 2375;
                return await ConnectsAsync(uri.Host, port, cancellationToken)
                    ? (true, dockerHost)
                    : (false, $"no Docker engine answered at DOCKER_HOST={dockerHost}");
            }

            // Named pipes, ssh://…: not ours to probe; let Testcontainers try.
            return (true, dockerHost);
        }

        if (OperatingSystem.IsWindows())
        {
            return File.Exists(@"\\.\pipe\docker_engine")
                ? (true, "npipe:////./pipe/docker_engine")
                : (false, "no Docker engine pipe (\\\\.\\pipe\\docker_engine) and DOCKER_HOST is not set");
        }

        foreach (var socketPath in CandidateSockets())
        {
            if (File.Exists(socketPath) && await PingAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken))
            {
                return (true, "unix://" + socketPath);
            }
        }

        return (false, "no Docker engine answered (DOCKER_HOST is not set; /var/run/docker.sock is missing or silent)");
    }

    private static IEnumerable<string> CandidateSockets()
    {
        yield return "/var/run/docker.sock";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            yield return Path.Combine(home, ".docker", "run", "docker.sock");
            yield return Path.Combine(home, ".docker", "desktop", "docker.sock");
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDirectory))
        {
            yield return Path.Combine(runtimeDirectory, "docker.sock");
        }
    }

    /// <summary>Sends <c>GET /_ping</c> and expects an HTTP 200 answer, all within the timeout.</summary>
    private static async Task<bool> PingAsync(UnixDomainSocketEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(endPoint, timeout.Token);
            var request = Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.StartsWith("HTTP/1.", StringComparison.Ordinal) && answer.Contains(" 200", StringComparison.Ordinal);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> ConnectsAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
