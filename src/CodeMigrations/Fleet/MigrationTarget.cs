using Npgsql;

namespace CodeMigrations.Fleet;

/// <summary>One database of a fleet: its connection string and, optionally, a short name to show instead of it.</summary>
public sealed record MigrationTarget
{
    /// <summary>A target.</summary>
    /// <param name="connectionString">Where the database is; it must parse as a PostgreSQL connection string.</param>
    /// <param name="name">A short name (<c>tenant-42</c>) shown in progress and results; <see langword="null"/> to show host, port and database.</param>
    /// <exception cref="ArgumentException">The connection string is empty or does not parse (the message names the keyword at fault, never a value).</exception>
    public MigrationTarget(string connectionString, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        ConnectionString = connectionString;
        Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        Label = Name ?? Describe(builder);
    }

    /// <summary>The connection string, password included: never print it.</summary>
    public string ConnectionString { get; }

    /// <summary>The short name given to the target, if any.</summary>
    public string? Name { get; }

    /// <summary>What progress and results call the target: its <see cref="Name"/>, else <c>host:port/database</c>. Never holds the password.</summary>
    public string Label { get; }

    /// <inheritdoc />
    public override string ToString() => Label;

    /// <summary><c>host:port/database</c> of a parsed connection string (the user name stands for a missing database).</summary>
    /// <param name="builder">The parsed connection string.</param>
    /// <returns>A label without the password.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}
