using System.Runtime.CompilerServices;
using System.Text;

namespace CodeMigrations.Sql;

/// <summary>
/// Cuts SQL scripts into statements the way psql does, and finds the statements that cannot run inside the migration's
/// transaction. Pure text work, linear in the script's length: one lexing pass cuts it, and the check re-reads only the
/// leading key words of each statement (the whole statement only after <c>ALTER TABLE</c> or <c>ALTER SUBSCRIPTION</c>).
/// </summary>
/// <remarks>
/// A <c>;</c> ends a statement unless it lies in a quote or comment (see <see cref="SqlLexer"/>), inside parentheses,
/// or inside a <c>BEGIN ... END</c> of a <c>CREATE [OR REPLACE] {FUNCTION|PROCEDURE}</c> statement (an SQL-standard body,
/// <c>BEGIN ATOMIC ... END</c>), where psql counts <c>BEGIN</c> and, once inside one, <c>CASE</c> as opening and
/// <c>END</c> as closing. The last statement needs no <c>;</c>. Statements holding nothing but whitespace and comments
/// are dropped.
/// </remarks>
public static class SqlScript
{
    /// <summary>Splits <paramref name="sql"/> into its statements, as psql would send them, in order.</summary>
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var statements = new List<SqlStatement>();
        var reader = new StatementReader(sql);
        while (reader.TryRead(out var start, out var end, out var line))
            statements.Add(new SqlStatement(sql[start..end], start, line));
        return statements;
    }

    /// <summary>
    /// The first statement of <paramref name="sql"/> that PostgreSQL refuses inside a transaction block (or that would
    /// end the transaction it runs in, such as <c>COMMIT</c>); null if there is none.
    /// </summary>
    public static NonTransactionalStatement? FindNonTransactional(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var reader = new StatementReader(sql);
        while (reader.TryRead(out var start, out var end, out var line))
        {
            if (TransactionBlockRules.FindRefusedCommand(sql.AsSpan(start, end - start)) is { } command)
                return new NonTransactionalStatement(new SqlStatement(sql[start..end], start, line), command);
        }

        return null;
    }

    /// <summary>
    /// Reads statement boundaries: psql's <c>;</c> rule with its parenthesis depth and its
    /// <c>CREATE FUNCTION ... BEGIN ... END</c> depth (psqlscan.l's <c>paren_depth</c>, <c>begin_depth</c> and
    /// <c>identifiers</c>).
    /// </summary>
    private ref struct StatementReader
    {
        private const int TrackedIdentifiers = 4;

        private readonly ReadOnlySpan<char> _text;
        private SqlLexer _lexer;
        private int _parenDepth;
        private int _beginDepth;
        private int _identifierCount;
        private LeadingInitials _initials;
        private int _lineOffset;
        private int _line;

        public StatementReader(string text)
        {
            _text = text;
            _lexer = new SqlLexer(text);
            _line = 1;
        }

        /// <summary>The next non-empty statement: from its first token's start to its last token's end.</summary>
        public bool TryRead(out int start, out int end, out int line)
        {
            start = -1;
            end = -1;
            while (_lexer.TryRead(out var token))
            {
                if (token.Kind == SqlTokenKind.Symbol)
                {
                    var c = _text[token.Start];
                    if (c == ';' && _parenDepth == 0 && _beginDepth == 0)
                    {
                        _identifierCount = 0;
                        if (start >= 0)
                            break;
                        continue;
                    }

                    if (c == '(')
                        _parenDepth++;
                    else if (c == ')' && _parenDepth > 0)
                        _parenDepth--;
                }
                else if (token.Kind == SqlTokenKind.Word)
                {
                    TrackBeginEnd(_text.Slice(token.Start, token.Length));
                }

                if (start < 0)
                    start = token.Start;
                end = token.End;
            }

            if (start < 0)
            {
                line = 0;
                return false;
            }

            _line += CountLineBreaks(_text[_lineOffset..start]);
            _lineOffset = start;
            line = _line;
            return true;
        }

        /// <summary>
        /// psqlscan.l's heuristic, word for word: remember the initials of the statement's first four identifiers when
        /// they are CREATE, OR, REPLACE, FUNCTION or PROCEDURE; in a <c>CREATE [OR REPLACE] {FUNCTION|PROCEDURE}</c>,
        /// outside parentheses, <c>BEGIN</c> opens, <c>CASE</c> opens when already inside, and <c>END</c> closes.
        /// </summary>
        private void TrackBeginEnd(ReadOnlySpan<char> word)
        {
            if (_identifierCount == 0)
                _initials = default;
            if (_identifierCount < TrackedIdentifiers)
            {
                if (IsAny(word, "create", "function", "procedure", "or", "replace"))
                    _initials[_identifierCount] = (char)(word[0] | 0x20);
                _identifierCount++;
            }

            if (_parenDepth > 0 || !IsCreateFunction())
                return;
            if (Ascii.EqualsIgnoreCase(word, "begin"))
                _beginDepth++;
            else if (Ascii.EqualsIgnoreCase(word, "case") && _beginDepth >= 1)
                _beginDepth++;
            else if (Ascii.EqualsIgnoreCase(word, "end") && _beginDepth > 0)
                _beginDepth--;
        }

        private readonly bool IsCreateFunction() =>
            _initials[0] == 'c'
            && (_initials[1] is 'f' or 'p'
                || (_initials[1] == 'o' && _initials[2] == 'r' && _initials[3] is 'f' or 'p'));

        private static bool IsAny(ReadOnlySpan<char> word, string a, string b, string c, string d, string e) =>
            Ascii.EqualsIgnoreCase(word, a) || Ascii.EqualsIgnoreCase(word, b) || Ascii.EqualsIgnoreCase(word, c)
            || Ascii.EqualsIgnoreCase(word, d) || Ascii.EqualsIgnoreCase(word, e);

        /// <summary>Line breaks as psql sees them: <c>\n</c>, <c>\r\n</c> and a lone <c>\r</c> each count once.</summary>
        private static int CountLineBreaks(ReadOnlySpan<char> text)
        {
            var count = 0;
            var i = 0;
            while (true)
            {
                var next = text[i..].IndexOfAny('\n', '\r');
                if (next < 0)
                    return count;
                i += next;
                count++;
                i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            }
        }
    }

    /// <summary>The lowered initials of a statement's first four identifiers, '\0' for those psql does not note.</summary>
    [InlineArray(4)]
    private struct LeadingInitials
    {
        private char _element;
    }
}
