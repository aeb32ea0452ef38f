using System.Text;

namespace CodeMigrations.Testing;

/// <summary>What a test run without a PostgreSQL server is told: what was tried, and how to get a server.</summary>
internal static class ServerInstructions
{
    /// <summary>
    /// The ways to get a server, one a line: install PostgreSQL, start Docker, or name an existing server in
    /// <paramref name="variable"/> (the default variable when null).
    /// </summary>
    public static string HowToGetOne(string? variable)
    {
        var name = string.IsNullOrWhiteSpace(variable) ? PostgresServerOptions.DefaultConnectionEnvironmentVariable : variable;
        var renamed = name == PostgresServerOptions.DefaultConnectionEnvironmentVariable
            ? ""
            : $" (these options read {name} in place of {PostgresServerOptions.DefaultConnectionEnvironmentVariable})";
        return new StringBuilder()
            .AppendLine("Get a PostgreSQL server in any of these ways:")
            .AppendLine("  - install PostgreSQL, e.g. `apt-get install -y postgresql` (Debian/Ubuntu), `dnf install -y postgresql-server` "
                + "or `brew install postgresql@16`; a throwaway cluster is then started from its binaries "
                + $"(found under /usr/lib/postgresql/*/bin, on the PATH, or in {LocalPostgresCluster.BinariesEnvironmentVariable});")
            .AppendLine($"  - start Docker, so that a {PostgresServer.DockerImage} container is started through Testcontainers;")
            .Append($"  - or use an existing server: set {name}=\"Host=...;Username=...;Password=...\"{renamed} ")
            .Append("with a superuser or a role with CREATEDB.")
            .ToString();
    }

    /// <summary>The message of a start that found no server: what was <paramref name="tried"/>, then how to get one.</summary>
    public static string Unavailable(string? variable, IReadOnlyList<string> tried)
    {
        var message = new StringBuilder("No PostgreSQL server is available. Tried:").AppendLine();
        foreach (var attempt in tried)
        {
            message.Append("  - ").AppendLine(attempt.TrimEnd('.'));
        }

        return message.Append(HowToGetOne(variable)).ToString();
    }
}
