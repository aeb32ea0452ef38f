using System.Text;

namespace CodeMigrations.Cli.Output;

/// <summary>The two streams a command writes to, and whether each may carry colour codes.</summary>
internal sealed class CliConsole
{
    private const string Reset = "\u001b[0m";

    // Set for the process's own standard output: the encoding of a writer that buffers long outputs.
    private Encoding? _standardOutputEncoding;

    public CliConsole(TextWriter output, TextWriter error, bool outputColour, bool errorColour, bool unicode = true)
    {
        Out = output;
        Error = error;
        OutColour = outputColour;
        ErrorColour = errorColour;
        Symbols = unicode ? CliSymbols.Unicode : CliSymbols.Ascii;
    }

    /// <summary>The marks of progress lines: arrows and ticks, or their ASCII stand-ins where the console cannot show them.</summary>
    public CliSymbols Symbols { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool OutColour { get; }

    public bool ErrorColour { get; }

    /// <summary>The process's console: colour only on a terminal, and never when NO_COLOR is set or TERM is dumb.</summary>
    public static CliConsole FromSystemConsole()
    {
        var colourAllowed = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        // Unix consoles speak UTF-8; a Windows console may still use a legacy code page with no arrows or ticks.
        var unicode = !OperatingSystem.IsWindows() || Console.OutputEncoding.CodePage == 65001;
        return new CliConsole(Console.Out, Console.Error,
            colourAllowed && !Console.IsOutputRedirected,
            colourAllowed && !Console.IsErrorRedirected,
            unicode)
        {
            _standardOutputEncoding = WithoutPreamble(Console.OutputEncoding),
        };
    }

    /// <summary>
    /// Writes a long output, such as a status of 10,000 lines, through one buffer flushed at the end. The system
    /// console's writer flushes every line, one system call each (10,000 writes measured for such a status).
    /// </summary>
    public void WriteBuffered(Action<TextWriter> write)
    {
        if (_standardOutputEncoding is not { } encoding)
        {
            write(Out);
            return;
        }

        Out.Flush();
        using var stream = Console.OpenStandardOutput();
        using var buffered = new StreamWriter(stream, encoding, bufferSize: 64 * 1024);
        write(buffered);
    }

    public void WriteLine(string text) => Out.WriteLine(text);

    public void WriteLine(string text, CliColour colour) => Out.WriteLine(Paint(text, colour, OutColour));

    public void WriteError(string text) => Error.WriteLine(Paint(text, CliColour.Red, ErrorColour));

    public void WriteNote(string text, CliColour colour = CliColour.None) => Error.WriteLine(Paint(text, colour, ErrorColour));

    /// <summary>Colours text for standard output (or returns it as is when output is plain).</summary>
    public string Paint(string text, CliColour colour) => Paint(text, colour, OutColour);

    /// <summary>The console's encoding without a byte-order mark (as the console's own writer uses it), or <see langword="null"/> when there is none such.</summary>
    private static Encoding? WithoutPreamble(Encoding encoding) =>
        encoding.Preamble.Length == 0 ? encoding
        : encoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)
        : null;

    private static string Paint(string text, CliColour colour, bool enabled)
    {
        if (!enabled || colour == CliColour.None || text.Length == 0)
            return text;
        var code = colour switch
        {
            CliColour.Red => "\u001b[31m",
            CliColour.Green => "\u001b[32m",
            CliColour.Yellow => "\u001b[33m",
            CliColour.Cyan => "\u001b[36m",
            CliColour.Dim => "\u001b[2m",
            CliColour.Bold => "\u001b[1m",
            _ => "",
        };
        return code + text + Reset;
    }
}

/// <summary>The marks of progress lines.</summary>
internal sealed record CliSymbols(string Up, string Down, string Done, string Failed, string Ellipsis)
{
    public static readonly CliSymbols Unicode = new("→", "←", "✓", "✗", "…");

    public static readonly CliSymbols Ascii = new("->", "<-", "ok", "x", "...");
}

/// <summary>The few colours the CLI uses.</summary>
internal enum CliColour
{
    None,
    Red,
    Green,
    Yellow,
    Cyan,
    Dim,
    Bold,
}
