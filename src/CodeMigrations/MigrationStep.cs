using Npgsql;

namespace CodeMigrations;

/// <summary>One step of a migration, described by <see cref="Migration.Up"/> or <see cref="Migration.Down"/>.</summary>
public abstract class MigrationStep
{
    private protected MigrationStep()
    {
    }

    /// <summary>A short description of the step for messages.</summary>
    public abstract string Describe();
}

/// <summary>A SQL step: text that may hold several statements, with optional Dapper parameters.</summary>
public sealed class SqlStep : MigrationStep
{
    internal SqlStep(string sql, object? parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary>The SQL text as written.</summary>
    public string Sql { get; }

    /// <summary>The Dapper parameters, or <see langword="null"/>.</summary>
    public object? Parameters { get; }

    /// <inheritdoc />
    public override string Describe() => $"SQL: {Execution.PreparedMigration.Abbreviate(Sql, 80)}";
}

/// <summary>A code step: .NET code that runs on the migration's connection and transaction.</summary>
public sealed class CodeStep : MigrationStep
{
    internal CodeStep(Func<MigrationContext, Task> action, string? name)
    {
        Action = action;
        Name = name;
    }

    /// <summary>The code to run.</summary>
    public Func<MigrationContext, Task> Action { get; }

    /// <summary>The name given to the step, or <see langword="null"/>.</summary>
    public string? Name { get; }

    /// <inheritdoc />
    public override string Describe() => Name is null ? "code step" : $"code step '{Name}'";
}

/// <summary>What a code step receives: the open connection, the transaction, services and the cancellation token.</summary>
public sealed class MigrationContext
{
    internal MigrationContext(MigrationInfo migration, NpgsqlConnection connection, NpgsqlTransaction? transaction,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        Migration = migration;
        Connection = connection;
        Transaction = transaction;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The migration being run.</summary>
    public MigrationInfo Migration { get; }

    /// <summary>The open connection the migration runs on.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The migration's transaction, to pass to every command; <see langword="null"/> when the migration runs without one.</summary>
    public NpgsqlTransaction? Transaction { get; }

    /// <summary>The services of the run's dependency-injection scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the run is cancelled (Ctrl+C): pass it on to every call.</summary>
    public CancellationToken CancellationToken { get; }
}

/// <summary>Which way a migration runs.</summary>
public enum MigrationDirection
{
    /// <summary>Apply: <see cref="Migration.Up"/>.</summary>
    Up,

    /// <summary>Revert: <see cref="Migration.Down"/>.</summary>
    Down,
}
