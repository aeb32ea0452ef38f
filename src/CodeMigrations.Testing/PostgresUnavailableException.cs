namespace CodeMigrations.Testing;

/// <summary>
/// No PostgreSQL server could be found or started. The message says how to get one: install PostgreSQL, start Docker,
/// or name an existing server in <c>CODEMIGRATIONS_TEST_CONNECTION</c>.
/// </summary>
public sealed class PostgresUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostgresUnavailableException()
        : base("No PostgreSQL server is available.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What was tried and how to get a server.</param>
    public PostgresUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What was tried and how to get a server.</param>
    /// <param name="innerException">The failure that made the server unavailable.</param>
    public PostgresUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
