namespace CodeMigrations.Tool;

/// <summary>
/// Where the tool's own messages go: standard error, one readable line each, red on a terminal (never with
/// <c>NO_COLOR</c> or <c>TERM=dumb</c>), as the console host writes its errors.
/// </summary>
internal sealed class ToolConsole
{
    private readonly bool _colour;

    public ToolConsole(TextWriter error, bool colour)
    {
        Error = error;
        _colour = colour;
    }

    public TextWriter Error { get; }

    public static ToolConsole FromSystemConsole()
    {
        var colourAllowed = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new ToolConsole(Console.Error, colourAllowed && !Console.IsErrorRedirected);
    }

    /// <summary>An error: what went wrong and what to do, as one line.</summary>
    public void WriteError(string message) => Error.WriteLine(_colour ? $"\u001b[31m{message}\u001b[0m" : message);

    /// <summary>A note for <c>--verbose</c>, or a failed build's output: as is.</summary>
    public void WriteNote(string message) => Error.WriteLine(_colour ? $"\u001b[2m{message}\u001b[0m" : message);
}
