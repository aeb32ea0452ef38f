using Npgsql;

namespace CodeMigrations.Fleet;

/// <summary>
/// Reads a list of targets: one a line, each a connection string (<c>Host=db1;Database=tenant_1;Username=deploy</c>) or
/// <c>name=connection string</c> (<c>tenant-1=Host=db1;Database=tenant_1</c>); <c>#</c> starts a comment line, and
/// blank lines are ignored.
/// </summary>
public static class MigrationTargetList
{
    /// <summary>Parses <paramref name="text"/> into targets, in the order of the lines.</summary>
    /// <param name="text">The list.</param>
    /// <param name="source">Where the list came from, for messages: <c>targets.txt</c>.</param>
    /// <returns>The targets; empty when the list holds none.</returns>
    /// <exception cref="MigrationTargetListException">
    /// A line is neither form, or names the same database as an earlier line; the message names the line, and the
    /// keyword at fault, never a value of the line (it may hold a password).
    /// </exception>
    public static IReadOnlyList<MigrationTarget> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var targets = new List<MigrationTarget>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var target = ParseLine(line, source, i + 1);
            var where = DatabaseKey(target);
            if (seen.TryGetValue(where, out var earlier))
                throw new MigrationTargetListException($"{source}, line {i + 1}: {target.Label} is the same database as line {earlier}. List each database once.");
            seen.Add(where, i + 1);
            targets.Add(target);
        }

        return targets;
    }

    /// <summary>One line: a connection string, else <c>name=connection string</c>.</summary>
    private static MigrationTarget ParseLine(string line, string source, int number)
    {
        ArgumentException error;
        try
        {
            return new MigrationTarget(line);
        }
        catch (ArgumentException e)
        {
            error = e;
        }

        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && IsName(line[..equals].Trim()))
        {
            try
            {
                return new MigrationTarget(line[(equals + 1)..].Trim(), line[..equals].Trim());
            }
            catch (ArgumentException e)
            {
                // name=key=value...: the line meant to be named, so the error of its connection string is the one to tell.
                if (line.Split(';')[0].Count(c => c == '=') > 1)
                    error = e;
            }
        }

        throw new MigrationTargetListException(
            $"{source}, line {number}: not a target: {Reason(error)}. " +
            "Write one target a line: a connection string (Host=db1;Database=tenant_1;Username=deploy) or name=connection string.", error);
    }

    /// <summary>
    /// Why a connection string did not parse, naming a keyword at most: Npgsql's other messages may quote part of a value,
    /// which may be a password.
    /// </summary>
    private static string Reason(ArgumentException error)
    {
        var message = error.Message.Split(" (Parameter")[0];
        foreach (var prefix in new[] { "Keyword not supported: ", "Couldn't set " })
        {
            var start = message.IndexOf(prefix, StringComparison.Ordinal);
            if (start >= 0 && message[(start + prefix.Length)..].Trim('\'', '"', ' ') is { Length: > 0 and <= 40 } keyword && keyword.All(c => char.IsLetter(c) || c == ' '))
                return $"unknown keyword, or a value that does not fit it: '{keyword}'";
        }

        return "it is not keyword=value pairs separated by ';', or a value does not fit its keyword (a port, a number, true/false)";
    }

    private static bool IsName(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/');

    private static string DatabaseKey(MigrationTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        return $"{builder.Host?.ToLowerInvariant()}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}

/// <summary>A list of targets could not be read: the message names the line and what is wrong with it.</summary>
public sealed class MigrationTargetListException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which line, what is wrong, how to write it.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public MigrationTargetListException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
