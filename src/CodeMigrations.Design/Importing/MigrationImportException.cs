namespace CodeMigrations.Importing;

/// <summary>
/// <c>import</c> cannot read the folder as the format given (no such folder, no migration in it, two files with one
/// version, a file it cannot place), or cannot write the output without overwriting a different file. Nothing was written.
/// </summary>
public sealed class MigrationImportException : MigrationException
{
    /// <summary>Creates the exception with one problem.</summary>
    public MigrationImportException(string message)
        : base(BuildMessage([message])) => Problems = [message];

    /// <summary>Creates the exception from every problem found.</summary>
    public MigrationImportException(IReadOnlyList<string> problems)
        : base(BuildMessage(problems)) => Problems = problems;

    /// <summary>Every problem found, one sentence each, naming the files involved.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(IReadOnlyList<string> problems) => problems.Count == 1
        ? $"Nothing was imported: {problems[0]}"
        : $"Nothing was imported ({problems.Count} problems):{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}

/// <summary>
/// <c>import-history</c> refused to record anything: the other tool's history table is missing or not shaped as that tool
/// makes it, or it records a migration that failed or stopped halfway (golang-migrate <c>dirty</c>, Flyway
/// <c>success = false</c>), which has to be repaired with that tool first. Nothing was recorded.
/// </summary>
public sealed class HistoryImportException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public HistoryImportException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
