namespace CodeMigrations.Cli;

/// <summary>
/// A database a host provides through <see cref="MigrationCliOptions.DefaultDatabase"/>: its connection string, and
/// what to do once the command is over (for example stop a server started for it).
/// </summary>
public sealed class MigrationCliDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask>? _release;
    private bool _released;

    /// <summary>Creates the description of a provided database.</summary>
    /// <param name="connectionString">Where to connect; like any connection string, never printed.</param>
    /// <param name="release">Called once after the command, whatever its outcome; <see langword="null"/> for nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public MigrationCliDatabase(string connectionString, Func<ValueTask>? release = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConnectionString = connectionString;
        _release = release;
    }

    /// <summary>The connection string the command uses.</summary>
    public string ConnectionString { get; }

    /// <summary>Runs the release callback, once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_released || _release is null)
            return;
        _released = true;
        await _release();
    }
}
