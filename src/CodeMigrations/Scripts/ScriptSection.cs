namespace CodeMigrations;

/// <summary>Which part of a SQL file a script step takes.</summary>
public enum ScriptSection
{
    /// <summary>The whole file.</summary>
    Whole,

    /// <summary>The section after the <c>-- Up</c> marker line (up to the <c>-- Down</c> marker).</summary>
    Up,

    /// <summary>The section after the <c>-- Down</c> marker line.</summary>
    Down,
}
