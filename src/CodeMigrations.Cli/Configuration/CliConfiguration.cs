using Microsoft.Extensions.Configuration;

namespace CodeMigrations.Cli.Configuration;

/// <summary>
/// The application's configuration, as the console host reads it so that an app and its migration host share one:
/// <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c> in the host's base directory, then in the current
/// folder (which wins), then environment variables (<c>ConnectionStrings__Default</c>, <c>CodeMigrations__HistorySchema</c>).
/// The environment is <c>ASPNETCORE_ENVIRONMENT</c>, else <c>DOTNET_ENVIRONMENT</c>, else <c>Production</c>, as ASP.NET Core
/// decides it. User secrets are not read.
/// </summary>
internal static class CliConfiguration
{
    /// <summary>Reads the files and the environment variables now.</summary>
    /// <exception cref="MigrationCliUsageException">A settings file is not valid JSON.</exception>
    public static IConfiguration Load()
    {
        var environment = EnvironmentName();
        var builder = new ConfigurationBuilder();
        var folders = new List<string> { AppContext.BaseDirectory };
        if (!SameFolder(AppContext.BaseDirectory, Directory.GetCurrentDirectory()))
            folders.Add(Directory.GetCurrentDirectory());
        foreach (var folder in folders)
        {
            builder.AddJsonFile(Path.Combine(folder, "appsettings.json"), optional: true, reloadOnChange: false);
            builder.AddJsonFile(Path.Combine(folder, $"appsettings.{environment}.json"), optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            // The JSON provider names the file; its inner exception, when there is one, says where the syntax breaks.
            throw new MigrationCliUsageException($"{e.Message} {e.InnerException?.Message} Fix the file, or move it out of the way.".Replace("  ", " ", StringComparison.Ordinal), e);
        }
    }

    /// <summary>
    /// Applies the configuration to <paramref name="options"/>, under whatever code and the command line set later: the
    /// <c>CodeMigrations</c> section, then <c>ConnectionStrings:&lt;name&gt;</c> when no connection is set yet.
    /// </summary>
    /// <returns>
    /// The connection string the configuration gave, with where it came from as the start of a sentence (for messages),
    /// or <see langword="null"/>.
    /// </returns>
    /// <exception cref="MigrationCliUsageException">A value of the wrong type, or a setting the runner cannot use; the message names the key.</exception>
    public static (string ConnectionString, string Source)? ApplyTo(IConfiguration configuration, CodeMigrationsOptions options)
    {
        var before = options.ConnectionString;
        try
        {
            CodeMigrationsConfiguration.Bind(configuration, options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("CodeMigrations:LockTimeout"), the value and the type. Only TimeSpan and
            // boolean keys can fail to convert: a connection string is text, so no password reaches this message.
            throw new MigrationCliUsageException(
                $"The configuration is invalid: {e.Message} {WhereToFix} A TimeSpan is written like 00:05:00, a boolean true or false.", e);
        }

        var problems = CodeMigrationsConfiguration.Validate(options);
        if (problems.Count > 0)
            throw new MigrationCliUsageException($"The configuration is invalid: {string.Join(" ", problems)} {WhereToFix}");
        if (!string.IsNullOrWhiteSpace(options.ConnectionString) && !string.Equals(before, options.ConnectionString, StringComparison.Ordinal))
        {
            var key = $"{CodeMigrationsConfiguration.SectionName}:{nameof(options.ConnectionString)}";
            return (options.ConnectionString, $"The configuration key {key} (appsettings.json or the environment variable {key.Replace(":", "__", StringComparison.Ordinal)})");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString) || CodeMigrationsConfiguration.GetConnectionString(configuration) is not { } connection)
            return null;
        options.ConnectionString = connection;
        var name = CodeMigrationsConfiguration.GetConnectionStringName(configuration);
        return (connection, $"The connection string ConnectionStrings:{name} (appsettings.json or the environment variable ConnectionStrings__{name})");
    }

    private const string WhereToFix =
        "Fix it in appsettings.json, appsettings.{Environment}.json or the environment variable (':' written '__', e.g. CodeMigrations__LockTimeout).";

    private static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } aspnet ? aspnet
        : Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? dotnet
        : "Production";

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
