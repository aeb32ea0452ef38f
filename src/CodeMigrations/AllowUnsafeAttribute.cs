namespace CodeMigrations;

/// <summary>
/// Declares that a migration breaks a <c>lint</c> rule on purpose, and why: <c>lint</c> then reports the finding as
/// suppressed, with the reason, and <c>lint --strict</c> does not fail on it. Repeat the attribute for several rules.
/// </summary>
/// <example><c>[AllowUnsafe("changing-column-type", "the table has 10 rows")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AllowUnsafeAttribute : Attribute
{
    /// <summary>Suppresses a lint rule for this migration.</summary>
    /// <param name="rule">The rule id, as <c>lint</c> prints it: <c>create-index-non-concurrently</c>.</param>
    /// <param name="reason">Why it is safe here, printed by <c>lint</c>: "the table has 10 rows".</param>
    public AllowUnsafeAttribute(string rule, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Rule = rule;
        Reason = reason;
    }

    /// <summary>The suppressed rule's id.</summary>
    public string Rule { get; }

    /// <summary>Why the migration may break the rule.</summary>
    public string Reason { get; }
}
