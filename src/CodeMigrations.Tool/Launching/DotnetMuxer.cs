using System.Runtime.InteropServices;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// The <c>dotnet</c> executable to build and to start the host with: the one whose runtime runs this tool. Installed as
/// a tool, this process is started by an apphost named <c>codemigrations</c>, so its own path is not it.
/// </summary>
internal static class DotnetMuxer
{
    public static string Find()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } process && string.Equals(Path.GetFileName(process), name, StringComparison.OrdinalIgnoreCase))
            return process;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // <root>/shared/Microsoft.NETCore.App/<version>/ holds the running runtime; <root>/dotnet is its muxer.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var beside = Path.Combine(root, name);
        return File.Exists(beside) ? beside : name;
    }
}
