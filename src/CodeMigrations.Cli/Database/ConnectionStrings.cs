using System.Text.RegularExpressions;
using Npgsql;

namespace CodeMigrations.Cli.Database;

/// <summary>What the console host checks in a connection string (whether it parses), and masks in text it prints (its password).</summary>
internal static partial class ConnectionStrings
{
    /// <summary>A connection string that does not parse is bad usage (exit 2), said before anything starts.</summary>
    /// <param name="connectionString">The string to check.</param>
    /// <param name="source">Where it came from, as the start of a sentence: "The --connection value".</param>
    /// <exception cref="MigrationCliUsageException">It does not parse.</exception>
    public static void ThrowIfMalformed(string connectionString, string source)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword at fault, never a value: no password can leak through this message.
            throw new MigrationCliUsageException($"{source} is not a valid connection string: {e.Message.Split(" (Parameter")[0]}. " +
                "Expected keyword=value pairs separated by ';', e.g. \"Host=localhost;Database=app;Username=app\".", e);
        }
    }

    /// <summary>
    /// <paramref name="text"/> with the value of every <c>Password=</c> (or <c>PWD=</c>) it holds replaced by <c>***</c>:
    /// for text we print that may quote what the user typed, such as a connection string given in the wrong place.
    /// </summary>
    public static string MaskPasswords(string text) => PasswordValue().Replace(text, "$1***");

    // Keyword, optional spaces, '=', then a quoted value or anything up to the next ';' or quote that ends the token.
    [GeneratedRegex(@"(\b(?:password|pwd)\s*=\s*)(?:""[^""]*""|'[^']*'|[^;'""\r\n]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordValue();
}
