namespace CodeMigrations.Tool;

/// <summary>
/// Stops the tool before any migration code runs, with exit code 2 (bad usage or set-up) and this message, which says
/// what is wrong and how to fix it.
/// </summary>
internal sealed class ToolUsageException : Exception
{
    public ToolUsageException(string message)
        : base(message)
    {
    }

    public ToolUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ToolUsageException()
        : base("The tool cannot run as invoked.")
    {
    }
}
