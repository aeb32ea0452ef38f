using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CodeMigrations.Tool.Launching;

/// <summary>
/// While the host runs, the launcher leaves stopping to it, so that Ctrl+C and SIGTERM still roll back the migration
/// in flight and release the lock. Ctrl+C reaches the host from the terminal directly (it is in the same process
/// group): the launcher only ignores it, since passing it on would make it the second Ctrl+C, which quits at once.
/// SIGTERM is sent to one process, the launcher: it is passed on. The same as <c>dotnet run</c> does.
/// </summary>
internal sealed partial class HostSignals : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _host;
    private readonly PosixSignalRegistration? _terminate;

    private HostSignals(Process host)
    {
        _host = host;
        Console.CancelKeyPress += IgnoreCtrlC;
        if (!OperatingSystem.IsWindows())
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true; // the launcher ends when the host does
                PassOn(SigTerm);
            });
        }
    }

    public static HostSignals Forward(Process host) => new(host);

    public void Dispose()
    {
        Console.CancelKeyPress -= IgnoreCtrlC;
        _terminate?.Dispose();
    }

    private static void IgnoreCtrlC(object? sender, ConsoleCancelEventArgs e) => e.Cancel = true;

    private void PassOn(int signal)
    {
        try
        {
            if (!_host.HasExited)
                _ = Kill(_host.Id, signal);
        }
        catch (InvalidOperationException)
        {
            // The host has exited in the meantime.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
