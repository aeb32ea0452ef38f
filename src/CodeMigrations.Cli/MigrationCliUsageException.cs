namespace CodeMigrations.Cli;

/// <summary>
/// Stops a command with exit code 2 (bad usage or set-up) and prints its message as is. Host code throws it, for
/// example from <see cref="MigrationCliOptions.DefaultDatabase"/> to say how to provide a database.
/// </summary>
public sealed class MigrationCliUsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A complete sentence saying what is wrong and what to do; printed as is.</param>
    public MigrationCliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause (shown with <c>--verbose</c>).</summary>
    public MigrationCliUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public MigrationCliUsageException()
        : base("The command cannot run as configured.")
    {
    }
}
