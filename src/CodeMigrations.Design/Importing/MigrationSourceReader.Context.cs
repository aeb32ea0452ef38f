using CodeMigrations.Scripts;

namespace CodeMigrations.Importing;

// What one read collects (ignored files, warnings, unsupported migrations) and how a migration is assembled from its files.
public static partial class MigrationSourceReader
{
    private sealed record Candidate(string SourceVersion, string[] Components, string Name, string Source, SourceScript Up, SourceScript? Down,
        IReadOnlyList<SourceFile> Files, bool UseTransaction, string? IrreversibleReason);

    private sealed class ReadContext
    {
        public ReadContext(string root, MigrationSourceFormat format)
        {
            Root = root;
            Format = format;
        }

        public string Root { get; }

        public MigrationSourceFormat Format { get; }

        public List<string> Problems { get; } = [];

        public List<string> Warnings { get; } = [];

        public List<string> Ignored { get; } = [];

        public List<UnsupportedSourceFile> Unsupported { get; } = [];

        public IEnumerable<string> TopLevelSqlFiles() => Directory.GetFiles(Root, "*.sql").Order(StringComparer.Ordinal);

        public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

        /// <summary>Checks that <c>ExecuteScript</c> will accept the section at run time, as the generated class reads it.</summary>
        public void CheckSection(string text, ScriptSection section, string file)
        {
            try
            {
                MigrationScripts.Section(text, section, file);
            }
            catch (MigrationScriptException e)
            {
                Problems.Add(e.Message);
            }
        }

        /// <summary>
        /// A migration from what its up and down hold: irreversible without a down statement, without a transaction when
        /// a statement needs that.
        /// </summary>
        public Candidate Candidate(string sourceVersion, string[] components, string name, string source, SourceScript up, SourceScript? down,
            IReadOnlyList<SourceFile> files, string upText, string? downText)
        {
            var formatName = MigrationSourceFormats.NameOf(Format);
            string? irreversible = null;
            if (down is null)
            {
                var downAnalysis = downText is null ? default : Analyze(downText);
                if (downAnalysis.CommentedOut)
                {
                    irreversible = $"imported from {formatName}: its down migration is commented out";
                    Warnings.Add($"{source}: the down migration's statements are commented out, so it is imported as irreversible. " +
                        "To make it reversible, uncomment them in the copied file and remove the [Irreversible] attribute.");
                }
                else
                {
                    irreversible = $"imported from {formatName} without a down migration";
                }
            }

            if (up.IsEmpty)
                Warnings.Add($"{source}: the up migration holds no statement; it is imported with an empty Up.");

            // Statements PostgreSQL refuses in a transaction. A part wrapped in its own BEGIN ... COMMIT runs without those two
            // statements, inside the migration's transaction; any other transaction control, or CREATE INDEX CONCURRENTLY
            // and the like, needs a migration without a transaction.
            var useTransaction = true;
            var notes = new List<string>();
            var wrapped = new List<string>();
            foreach (var direction in new[] { "up", "down" })
            {
                var text = direction == "up" ? upText : down is null ? null : downText;
                if (text is null)
                    continue;
                if (ImportedScripts.Unwrap(text) is { } unwrapped)
                {
                    wrapped.Add(direction);
                    if (direction == "up")
                        up = up with { WithoutOwnTransaction = true };
                    else
                        down = down! with { WithoutOwnTransaction = true };
                    text = unwrapped;
                }

                if (Analyze(text).NonTransactionalCommand is not { } command)
                    continue;
                useTransaction = false;
                notes.Add(ImportedScripts.IsTransactionControl(command)
                    ? $"its {direction} runs {command} itself"
                    : $"its {direction} holds {command}, which PostgreSQL refuses in a transaction");
            }

            if (wrapped.Count > 0)
            {
                Warnings.Add($"{source}: its {string.Join(" and ", wrapped)} {(wrapped.Count == 1 ? "wraps its" : "wrap their")} statements in BEGIN ... COMMIT: " +
                    "the class runs them without those two statements (ImportedScripts.ReadWithoutOwnTransaction), in the migration's own transaction.");
            }

            if (notes.Count > 0)
            {
                Warnings.Add($"{source}: {string.Join("; ", notes)}: imported with UseTransaction = false, so each statement runs on its own, " +
                    "and a failure leaves a mark to resolve.");
            }

            return new Candidate(sourceVersion, components, name, source, up, down, files, useTransaction, irreversible);
        }
    }
}
