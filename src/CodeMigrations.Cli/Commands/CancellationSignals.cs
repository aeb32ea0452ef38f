using System.Runtime.InteropServices;
using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so that the migration in flight is rolled back
/// and the lock released before the process exits. A second Ctrl+C ends the process at once; PostgreSQL then rolls
/// back and releases on its side when the connection drops.
/// </summary>
internal sealed class CancellationSignals : IDisposable
{
    private readonly CliConsole _console;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration? _sigterm;
    private int _signalled;

    public CancellationSignals(CliConsole console)
    {
        _console = console;
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Cancel("Terminating");
            });
        }
        catch (PlatformNotSupportedException)
        {
            // Ctrl+C still works.
        }
    }

    public CancellationToken Token => _cancellation.Token;

    public bool IsCancellationRequested => _cancellation.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm?.Dispose();
        _cancellation.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (Volatile.Read(ref _signalled) > 0)
            return; // the second one ends the process
        e.Cancel = true;
        Cancel("Cancelling");
    }

    private void Cancel(string verb)
    {
        if (Interlocked.Exchange(ref _signalled, 1) > 0)
            return;
        _console.WriteNote($"{verb}: rolling back the migration in flight and releasing the lock… (press Ctrl+C again to quit at once)", CliColour.Yellow);
        // Off the signal thread: cancelling runs Npgsql's callbacks, which send a cancel request to the server.
        _ = Task.Run(() =>
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The command finished in the meantime.
            }
        });
    }
}
