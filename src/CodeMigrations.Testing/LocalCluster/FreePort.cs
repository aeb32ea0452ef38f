using System.Net;
using System.Net.Sockets;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>Chooses a TCP port on 127.0.0.1 that nothing listens on right now (the start retries if another takes it first).</summary>
internal static class FreePort
{
    /// <summary>A port the system just handed out and released.</summary>
    public static int Choose()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
