using System.CommandLine;

namespace CodeMigrations.Cli.Commands;

/// <summary>
/// The options every verb takes, defined once, on the root command (recursive): where the database and the history table
/// are, the timeouts, and how much to say.
/// </summary>
internal sealed class GlobalOptions
{
    public GlobalOptions()
    {
        LockTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is < 0)
                result.AddError("--lock-timeout must be 0 or more seconds.");
        });
        foreach (var (option, fallback) in new[] { (HistorySchema, "public"), (HistoryTable, "migration_history") })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is not { } value)
                    return;
                if (string.IsNullOrWhiteSpace(value))
                    result.AddError($"{option.Name} is empty: give a name, or leave the option out for {fallback}.");
                else if (System.Text.Encoding.UTF8.GetByteCount(value) > History.MigrationHistory.MaxIdentifierBytes)
                    result.AddError($"{option.Name} '{value}' is {System.Text.Encoding.UTF8.GetByteCount(value)} bytes long: PostgreSQL keeps only the first {History.MigrationHistory.MaxIdentifierBytes} bytes of a name, so names alike in those would share one history. Use a name of at most {History.MigrationHistory.MaxIdentifierBytes} bytes.");
            });
        }

        DdlLockRetries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
                result.AddError("--ddl-lock-retries must be 0 or more.");
        });

        foreach (var option in new[] { DdlLockTimeout, StatementTimeout })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } value && !Execution.MigrationTimeouts.IsValidInterval(value))
                    result.AddError($"{option.Name} '{value}' is not an interval PostgreSQL accepts: {Execution.MigrationTimeouts.IntervalRule}.");
            });
        }
    }

    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = $"The PostgreSQL connection string, e.g. \"Host=localhost;Database=app;Username=app\". Default: the environment variable {MigrationCli.ConnectionEnvironmentVariable}.",
        HelpName = "CONNECTION_STRING",
    };

    public Option<string?> HistorySchema { get; } = new("--history-schema")
    {
        Description = "The schema of the history table (default: public).",
        HelpName = "SCHEMA",
    };

    public Option<string?> HistoryTable { get; } = new("--history-table")
    {
        Description = "The name of the history table (default: migration_history).",
        HelpName = "TABLE",
    };

    public Option<double?> LockTimeout { get; } = new("--lock-timeout")
    {
        Description = "How many seconds to wait for another run's migration lock before giving up (default: 300).",
        HelpName = "SECONDS",
    };

    public Option<string?> DdlLockTimeout { get; } = new("--ddl-lock-timeout")
    {
        Description = "lock_timeout of every migration statement, e.g. 2s, 500ms, 0 for none (default 5s: a statement waiting for a lock on a busy table gives up rather than stall the traffic queued behind it).",
        HelpName = "INTERVAL",
    };

    public Option<string?> StatementTimeout { get; } = new("--statement-timeout")
    {
        Description = "statement_timeout of every migration statement, e.g. 30min (default 0: none).",
        HelpName = "INTERVAL",
    };

    public Option<int?> DdlLockRetries { get; } = new("--ddl-lock-retries")
    {
        Description = "How many times a migration in a transaction runs again after hitting its lock timeout, with growing pauses (default 3; 0 fails at once).",
        HelpName = "N",
    };

    public Option<bool> DurableEach { get; } = new("--durable-each")
    {
        Description = "Make every migration's commit wait for the disk (default: only the run's last commit, and the ones before a migration without a transaction, wait; a crash loses at most the end of a run that never reported success).",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print the runner's log and, on errors, the stack trace (to standard error).",
    };

    /// <summary>All of them, in the order of the help.</summary>
    public IEnumerable<Option> All => [Connection, HistorySchema, HistoryTable, LockTimeout, DdlLockTimeout, DdlLockRetries, StatementTimeout, DurableEach, Verbose];

    /// <summary>
    /// The connection string the command line gives: <c>--connection</c>, else the environment variable; with where it
    /// came from, for messages. <see langword="null"/> when neither gives one.
    /// </summary>
    public (string ConnectionString, string Source)? GetConnection(ParseResult parse)
    {
        var connection = parse.GetValue(Connection);
        if (!string.IsNullOrWhiteSpace(connection))
            return (connection, "The --connection value");
        connection = Environment.GetEnvironmentVariable(MigrationCli.ConnectionEnvironmentVariable);
        return string.IsNullOrWhiteSpace(connection) ? null : (connection, $"The environment variable {MigrationCli.ConnectionEnvironmentVariable}");
    }

    /// <summary>Applies the history and timeout options to <paramref name="options"/> (after the host's configuration: they win).</summary>
    public void ApplyTo(CodeMigrationsOptions options, ParseResult parse)
    {
        if (parse.GetValue(HistorySchema) is { } schema)
            options.HistorySchema = schema;
        if (parse.GetValue(HistoryTable) is { } table)
            options.HistoryTable = table;
        if (parse.GetValue(LockTimeout) is { } seconds)
            options.LockTimeout = TimeSpan.FromSeconds(seconds);
        if (parse.GetValue(DdlLockTimeout) is { } ddlLockTimeout)
            options.DdlLockTimeout = ddlLockTimeout;
        if (parse.GetValue(StatementTimeout) is { } statementTimeout)
            options.StatementTimeout = statementTimeout;
        if (parse.GetValue(DdlLockRetries) is { } retries)
            options.DdlLockRetries = retries;
        if (parse.GetValue(DurableEach))
            options.DurableEach = true;
    }
}
