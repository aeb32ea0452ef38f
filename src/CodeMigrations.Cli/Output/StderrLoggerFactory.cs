using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Cli.Output;

/// <summary>
/// The log of <c>--verbose</c>: one line per message on standard error. Small on purpose: the logging packages with
/// console providers cost startup time that every run would pay.
/// </summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly CliConsole _console;

    public StderrLoggerFactory(CliConsole console) => _console = console;

    public ILogger CreateLogger(string categoryName) => new StderrLogger(_console, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
        // One destination only: standard error.
    }

    public void Dispose()
    {
    }

    private sealed class StderrLogger : ILogger
    {
        private readonly CliConsole _console;
        private readonly string _category;

        public StderrLogger(CliConsole console, string category)
        {
            _console = console;
            _category = category[(category.LastIndexOf('.') + 1)..];
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            var time = DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            // The exception itself is printed once, with its stack, when the command reports the error.
            _console.WriteNote($"{time} {level} {_category}[{eventId.Id}]: {formatter(state, exception)}", CliColour.Dim);
        }
    }
}
