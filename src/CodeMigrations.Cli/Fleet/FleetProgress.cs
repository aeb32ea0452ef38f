using System.Diagnostics;
using CodeMigrations.Cli.Output;
using CodeMigrations.Fleet;

namespace CodeMigrations.Cli.Fleet;

/// <summary>
/// Prints a fleet run as it happens. On a terminal: a live line per target in flight (target, migrations done, the one
/// running, elapsed), redrawn in place, and a line for each target as it ends. Piped: plain lines only, one when a
/// target starts and one when it ends. Nothing with <c>--json</c> (standard output is the JSON).
/// </summary>
internal sealed class FleetProgress : IMigrationFleetObserver, IDisposable
{
    private readonly CliConsole _console;
    private readonly bool _live;
    private readonly bool _quiet;
    private readonly Lock _lock = new();
    private readonly Dictionary<MigrationTarget, InFlight> _inFlight = [];
    private readonly Timer? _timer;
    private int _drawn;

    public FleetProgress(CliConsole console, bool live, bool quiet)
    {
        _console = console;
        _live = live && !quiet;
        _quiet = quiet;
        if (_live)
            _timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public IMigrationObserver ForTarget(MigrationTarget target) => new TargetObserver(this, target);

    public void OnTargetStarting(MigrationTarget target)
    {
        lock (_lock)
        {
            _inFlight[target] = new InFlight();
            if (_live)
                Draw(null);
            else if (!_quiet)
                _console.WriteLine($"{target.Label}: started");
        }
    }

    public void OnTargetCompleted(MigrationTargetResult result)
    {
        lock (_lock)
        {
            _inFlight.Remove(result.Target);
            if (_quiet)
                return;
            var line = FleetSummary.Line(_console, result);
            if (_live)
                Draw(line);
            else
                _console.WriteLine(line);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            if (_live)
            {
                _inFlight.Clear();
                Draw(null);
            }
        }
    }

    private void Redraw()
    {
        lock (_lock)
            Draw(null);
    }

    /// <summary>Erases the live lines, prints <paramref name="permanent"/> above where they were, and draws them again.</summary>
    private void Draw(string? permanent)
    {
        var output = _console.Out;
        if (_drawn > 0)
            output.Write($"\r\u001b[{_drawn}A");
        output.Write("\u001b[0J");
        if (permanent is not null)
            output.WriteLine(permanent);
        foreach (var (target, state) in _inFlight)
        {
            var running = state.Running is { } migration ? $" {_console.Symbols.Up} {migration}" : "";
            output.WriteLine(_console.Paint($"{_console.Symbols.Ellipsis} {target.Label}: {state.Done} done{running} ({Durations.Format(state.Clock.Elapsed)})", CliColour.Dim));
        }

        _drawn = _inFlight.Count;
        output.Flush();
    }

    private void OnMigration(MigrationTarget target, MigrationInfo? running, bool done)
    {
        lock (_lock)
        {
            if (!_inFlight.TryGetValue(target, out var state))
                return;
            state.Running = running;
            if (done)
                state.Done++;
            if (_live)
                Draw(null);
        }
    }

    private sealed class InFlight
    {
        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public int Done { get; set; }

        public MigrationInfo? Running { get; set; }
    }

    /// <summary>One target's migrations, told to the fleet's progress with the target they belong to.</summary>
    private sealed class TargetObserver(FleetProgress progress, MigrationTarget target) : IMigrationObserver
    {
        public void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction) => progress.OnMigration(target, migration, done: false);

        public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration) => progress.OnMigration(target, null, done: true);

        public void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error) =>
            progress.OnMigration(target, null, done: false);
    }
}
