namespace CodeMigrations;

/// <summary>
/// Declares that a migration cannot be reverted (it drops data, or changes a type in a lossy way), and why.
/// </summary>
/// <remarks>
/// <c>down</c> refuses, before touching anything, any run that would cross such a migration, naming it and the reason;
/// <c>status</c> shows the mark. Its <see cref="Migration.Down"/> is never called and may stay empty.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class IrreversibleAttribute : Attribute
{
    /// <summary>Marks a migration irreversible.</summary>
    /// <param name="reason">Why it cannot be reverted, shown when a down is refused: "drops the legacy_orders table and its data".</param>
    public IrreversibleAttribute(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    /// <summary>Why the migration cannot be reverted.</summary>
    public string Reason { get; }
}
