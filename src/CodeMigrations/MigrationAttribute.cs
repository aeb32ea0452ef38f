namespace CodeMigrations;

/// <summary>
/// Marks a <see cref="Migration"/> subclass with its version, the number that orders it among the others.
/// </summary>
/// <remarks>
/// A timestamp such as <c>20230915120000</c> (yyyyMMddHHmmss) is the convention; any positive 64-bit number works.
/// The loader refuses a version that is zero or negative, two classes with one version, and this attribute on a
/// type that is not a concrete <see cref="Migration"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MigrationAttribute : Attribute
{
    /// <summary>Marks a migration with its version.</summary>
    /// <param name="version">A positive number, unique among the migrations; conventionally yyyyMMddHHmmss.</param>
    public MigrationAttribute(long version) => Version = version;

    /// <summary>The version that orders this migration and identifies it in the history table.</summary>
    public long Version { get; }

    /// <summary>A human description shown in <c>status</c> and recorded in history; derived from the class name when not given.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Whether the migration runs in a transaction together with its history row (the default, and the safe choice).
    /// Set to <see langword="false"/> for statements PostgreSQL refuses inside a transaction, such as
    /// <c>CREATE INDEX CONCURRENTLY</c>: each statement then runs on its own, and a failure leaves a mark in the
    /// history that blocks further runs until it is resolved.
    /// </summary>
    public bool UseTransaction { get; init; } = true;

    /// <summary>
    /// This migration's <c>lock_timeout</c> (a PostgreSQL interval such as <c>"2s"</c> or <c>"500ms"</c>), overriding
    /// <see cref="CodeMigrationsOptions.DdlLockTimeout"/>: how long a statement may wait for a lock before failing.
    /// </summary>
    public string? DdlLockTimeout { get; init; }

    /// <summary>
    /// This migration's <c>statement_timeout</c> (a PostgreSQL interval such as <c>"30min"</c>; <c>"0"</c> for none),
    /// overriding <see cref="CodeMigrationsOptions.StatementTimeout"/>.
    /// </summary>
    public string? StatementTimeout { get; init; }

    /// <summary>
    /// How many times to run this migration again when a statement of it gives up waiting for a lock (its
    /// <c>lock_timeout</c>, SQLSTATE 55P03), overriding <see cref="CodeMigrationsOptions.DdlLockRetries"/>; <c>-1</c>
    /// (the default) keeps the run's. Only a migration in a transaction is retried: it rolled back whole.
    /// </summary>
    public int DdlLockRetries { get; init; } = -1;
}
