namespace CodeMigrations;

/// <summary>What the loader knows of a migration class without creating it: version, name, type and transaction mode.</summary>
/// <param name="Version">The version from <see cref="MigrationAttribute"/>.</param>
/// <param name="Name">The description from the attribute, else derived from the class name.</param>
/// <param name="Type">The migration class.</param>
/// <param name="UseTransaction">Whether it runs in a transaction with its history row.</param>
public sealed record MigrationInfo(long Version, string Name, Type Type, bool UseTransaction)
{
    /// <summary>Why the migration cannot be reverted, from <see cref="IrreversibleAttribute"/>; <see langword="null"/> when it can.</summary>
    public string? IrreversibleReason { get; init; }

    /// <summary>The migration's own <c>lock_timeout</c> from its attribute, or <see langword="null"/> for the run's default.</summary>
    public string? DdlLockTimeout { get; init; }

    /// <summary>The migration's own <c>statement_timeout</c> from its attribute, or <see langword="null"/> for the run's default.</summary>
    public string? StatementTimeout { get; init; }

    /// <summary>"20230915120000 CreateUsersTable": how messages name a migration.</summary>
    public override string ToString() => $"{Version} {Type.Name}";
}
