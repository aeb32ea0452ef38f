namespace CodeMigrations.Linting;

/// <summary>
/// A rule of <c>lint</c>: a statement that hurts a live table (a lock held for long, a rewrite, a full scan, or a change
/// that running application code does not expect), and the safe way to do the same.
/// </summary>
public sealed class LintRule
{
    internal LintRule(string id, string title, string effect, string safeAlternative)
    {
        Id = id;
        Title = title;
        Effect = effect;
        SafeAlternative = safeAlternative;
    }

    /// <summary>The stable kebab-case id, e.g. <c>create-index-non-concurrently</c>: what <see cref="AllowUnsafeAttribute"/> names.</summary>
    public string Id { get; }

    /// <summary>A short title of what is flagged.</summary>
    public string Title { get; }

    /// <summary>What the statement does to a live table: the lock it takes, the rewrite or the scan.</summary>
    public string Effect { get; }

    /// <summary>How to make the same change safely.</summary>
    public string SafeAlternative { get; }

    /// <summary>Where the rules are documented, with their safe alternatives.</summary>
    public string HelpLink => LintRules.HelpLink;

    /// <summary>The rule's id.</summary>
    public override string ToString() => Id;
}
