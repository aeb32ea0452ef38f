using System.Runtime.InteropServices;

namespace CodeMigrations.Testing.LocalCluster;

/// <summary>
/// Runs a stop action when the process ends without disposing what it started: on <see cref="AppDomain.ProcessExit"/>, and
/// on termination signals too, which since .NET 10 end the process without raising ProcessExit. The signal handlers do not
/// cancel the signal: the process still ends as it would have. (SIGKILL cannot be caught: the next throwaway cluster
/// sweeps what a killed process left.) Disposing the hook unregisters it.
/// </summary>
internal sealed class ProcessExitHook : IDisposable
{
    private static readonly PosixSignal[] TerminationSignals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private readonly EventHandler _processExitHandler;
    private readonly List<PosixSignalRegistration> _signalRegistrations = [];
    private int _disposed;

    private ProcessExitHook(Action stop, bool stopOnInterrupt)
    {
        _processExitHandler = (_, _) => stop();
        AppDomain.CurrentDomain.ProcessExit += _processExitHandler;
        foreach (var signal in TerminationSignals)
        {
            try
            {
                // A handler that cancelled the signal (a host shutting down gracefully, such as the console host on
                // Ctrl+C) still needs the server to roll back its work: then dispose stops it, not the signal.
                _signalRegistrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    if (!context.Cancel && (stopOnInterrupt || signal != PosixSignal.SIGINT))
                        stop();
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere (Windows); ProcessExit still covers an orderly exit.
            }
        }
    }

    /// <summary>Registers <paramref name="stop"/> for process exit and termination signals.</summary>
    /// <param name="stop">What to do; it may run more than once (a signal, then process exit), so it guards itself, and it must not throw.</param>
    /// <param name="stopOnInterrupt">
    /// Whether SIGINT (Ctrl+C) stops too: yes for throwaway data, no for kept data, where the host decides what Ctrl+C means.
    /// </param>
    public static ProcessExitHook Register(Action stop, bool stopOnInterrupt) => new(stop, stopOnInterrupt);

    /// <summary>Unregisters the handlers; the stop action no longer runs on exit.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _processExitHandler;
        foreach (var registration in _signalRegistrations)
        {
            registration.Dispose();
        }
    }
}
