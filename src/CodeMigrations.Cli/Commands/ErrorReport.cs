using CodeMigrations.Cli.Output;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// Maps what a command threw to an exit code and prints it as one readable message on standard error; the stack
/// trace only with <c>--verbose</c>. The core's messages are complete sentences (and never hold a password): they are
/// printed as they are.
/// </summary>
internal static class ErrorReport
{
    public static int Report(CliConsole console, Exception error, bool verbose)
    {
        var (exitCode, message) = Classify(error);
        console.WriteError(message);
        if (verbose)
            console.WriteNote(error.ToString(), CliColour.Dim);
        else if (exitCode == MigrationExitCode.Failure && error is not MigrationException)
            console.WriteNote("Run again with --verbose for the stack trace.", CliColour.Dim);
        return exitCode;
    }

    internal static (int ExitCode, string Message) Classify(Exception error) => error switch
    {
        MigrationCliUsageException => (MigrationExitCode.Usage, error.Message),
        InvalidMigrationSetException or InvalidMigrationException or UnknownMigrationTargetException => (MigrationExitCode.Usage, error.Message),
        ResolveRefusedException => (MigrationExitCode.Usage, error.Message),
        MigrationException => (MigrationExitCode.Failure, error.Message),
        ArgumentException argument => (MigrationExitCode.Usage, WithoutParameterName(argument)),
        _ => (MigrationExitCode.Failure, $"Unexpected error: {error.GetType().Name}: {error.Message}"),
    };

    /// <summary>ArgumentException's message without " (Parameter 'x')" and "Actual value was ...": what a person needs.</summary>
    private static string WithoutParameterName(ArgumentException error)
    {
        var message = error.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0)
            message = message[..cut];
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline >= 0 ? message[..newline] : message).TrimEnd();
    }
}

/// <summary>The core refused <c>resolve</c> (no failed mark on that version): bad usage, not a failure.</summary>
internal sealed class ResolveRefusedException : Exception
{
    public ResolveRefusedException(MigrationException inner)
        : base(inner.Message, inner)
    {
    }
}
