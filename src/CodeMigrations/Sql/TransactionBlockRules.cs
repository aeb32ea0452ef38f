using System.Text;

namespace CodeMigrations.Sql;

/// <summary>
/// Knows which statements PostgreSQL refuses inside a transaction block (those whose execution calls
/// <c>PreventInTransactionBlock</c>), and the transaction control statements that would end the migration's own
/// transaction. Statements are recognised by their leading key words only, read as tokens: words inside strings,
/// quoted identifiers, comments or longer identifiers never match.
/// </summary>
/// <remarks>
/// Where the refusal depends on the database's state (<c>DROP SUBSCRIPTION</c> only with a replication slot,
/// <c>CREATE SUBSCRIPTION</c> only when it creates one, <c>CLUSTER</c> of a partitioned table), the statement is
/// reported: running it outside a transaction is always possible, the reverse is not.
/// </remarks>
public static class TransactionBlockRules
{
    /// <summary>
    /// The command name of <paramref name="statement"/> (one statement, as <see cref="SqlScript"/> cuts it) if it cannot
    /// run inside the migration's transaction; otherwise null.
    /// </summary>
    public static string? FindRefusedCommand(ReadOnlySpan<char> statement)
    {
        var reader = new TokenReader(statement);
        if (!reader.TryReadWord(out var first))
            return null;

        return Keyword(first) switch
        {
            "CREATE" => Create(ref reader),
            "DROP" => Drop(ref reader),
            "ALTER" => Alter(ref reader),
            "REINDEX" => Reindex(ref reader),
            "VACUUM" => "VACUUM",
            "CLUSTER" => Cluster(ref reader),
            "DISCARD" => reader.AcceptWord("ALL") ? "DISCARD ALL" : null,
            "BEGIN" => "BEGIN",
            "START" => reader.AcceptWord("TRANSACTION") ? "START TRANSACTION" : null,
            "COMMIT" => reader.AcceptWord("PREPARED") ? "COMMIT PREPARED" : "COMMIT",
            "END" => "END",
            "ROLLBACK" or "ABORT" => Rollback(ref reader, Keyword(first)),
            "PREPARE" => reader.AcceptWord("TRANSACTION") ? "PREPARE TRANSACTION" : null,
            _ => null,
        };
    }

    /// <summary>The statement-leading words this class looks at, upper-cased; null for any other word.</summary>
    private static string? Keyword(ReadOnlySpan<char> word)
    {
        ReadOnlySpan<string> keywords =
            ["CREATE", "DROP", "ALTER", "REINDEX", "VACUUM", "CLUSTER", "DISCARD", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "PREPARE"];
        foreach (var keyword in keywords)
        {
            if (Ascii.EqualsIgnoreCase(word, keyword))
                return keyword;
        }

        return null;
    }

    private static string? Create(ref TokenReader reader)
    {
        if (reader.AcceptWord("UNIQUE"))
            return reader.AcceptWord("INDEX") && reader.AcceptWord("CONCURRENTLY") ? "CREATE INDEX CONCURRENTLY" : null;
        if (reader.AcceptWord("INDEX"))
            return reader.AcceptWord("CONCURRENTLY") ? "CREATE INDEX CONCURRENTLY" : null;
        if (reader.AcceptWord("DATABASE"))
            return "CREATE DATABASE";
        if (reader.AcceptWord("TABLESPACE"))
            return "CREATE TABLESPACE";
        if (reader.AcceptWord("SUBSCRIPTION"))
            return "CREATE SUBSCRIPTION";
        return null;
    }

    private static string? Drop(ref TokenReader reader)
    {
        if (reader.AcceptWord("INDEX"))
            return reader.AcceptWord("CONCURRENTLY") ? "DROP INDEX CONCURRENTLY" : null;
        if (reader.AcceptWord("DATABASE"))
            return "DROP DATABASE";
        if (reader.AcceptWord("TABLESPACE"))
            return "DROP TABLESPACE";
        if (reader.AcceptWord("SUBSCRIPTION"))
            return "DROP SUBSCRIPTION";
        return null;
    }

    private static string? Alter(ref TokenReader reader)
    {
        if (reader.AcceptWord("SYSTEM"))
            return "ALTER SYSTEM";
        if (reader.AcceptWord("DATABASE"))
        {
            return reader.SkipName() && reader.AcceptWord("SET") && reader.AcceptWord("TABLESPACE")
                ? "ALTER DATABASE SET TABLESPACE"
                : null;
        }

        if (reader.AcceptWord("TABLE"))
            return DetachConcurrently(ref reader) ? "ALTER TABLE ... DETACH CONCURRENTLY" : null;
        if (reader.AcceptWord("SUBSCRIPTION"))
            return AlterSubscription(ref reader);
        return null;
    }

    /// <summary>
    /// <c>ALTER TABLE ... DETACH PARTITION name CONCURRENTLY</c> (not <c>FINALIZE</c>, not a plain detach). DETACH
    /// PARTITION is a command of its own, so it is searched for anywhere after <c>ALTER TABLE</c>.
    /// </summary>
    private static bool DetachConcurrently(ref TokenReader reader)
    {
        while (reader.TryRead(out var token))
        {
            if (reader.IsWord(token, "DETACH") && reader.AcceptWord("PARTITION"))
                return reader.SkipName() && reader.AcceptWord("CONCURRENTLY");
        }

        return false;
    }

    /// <summary>
    /// <c>ALTER SUBSCRIPTION name REFRESH PUBLICATION</c>, and <c>{SET|ADD|DROP} PUBLICATION</c> unless
    /// <c>WITH (refresh = false)</c>: the forms that refresh the subscription.
    /// </summary>
    private static string? AlterSubscription(ref TokenReader reader)
    {
        if (!reader.SkipName())
            return null;
        if (reader.AcceptWord("REFRESH"))
            return reader.AcceptWord("PUBLICATION") ? "ALTER SUBSCRIPTION ... REFRESH" : null;
        if (!(reader.AcceptWord("SET") || reader.AcceptWord("ADD") || reader.AcceptWord("DROP")) || !reader.AcceptWord("PUBLICATION"))
            return null;

        while (reader.TryRead(out var token))
        {
            if (reader.IsWord(token, "WITH") && reader.TryReadOptionList("REFRESH", out var refresh) && refresh == OptionValue.Off)
                return null;
        }

        return "ALTER SUBSCRIPTION with refresh";
    }

    /// <summary>
    /// <c>REINDEX [ ( options ) ] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] ...</c>: SCHEMA, DATABASE and
    /// SYSTEM always commit as they go; INDEX and TABLE only when concurrent (the key word, or the CONCURRENTLY option
    /// unless set to false).
    /// </summary>
    private static string? Reindex(ref TokenReader reader)
    {
        var concurrently = reader.TryReadOptionList("CONCURRENTLY", out var option) && option == OptionValue.On;
        if (reader.AcceptWord("SCHEMA"))
            return "REINDEX SCHEMA";
        if (reader.AcceptWord("DATABASE"))
            return "REINDEX DATABASE";
        if (reader.AcceptWord("SYSTEM"))
            return "REINDEX SYSTEM";
        if (!reader.AcceptWord("INDEX") && !reader.AcceptWord("TABLE"))
            return null;
        return concurrently || reader.AcceptWord("CONCURRENTLY") ? "REINDEX CONCURRENTLY" : null;
    }

    /// <summary><c>CLUSTER</c> with no table (<c>CLUSTER</c>, <c>CLUSTER VERBOSE</c>, <c>CLUSTER (VERBOSE)</c>) reclusters every table.</summary>
    private static string? Cluster(ref TokenReader reader)
    {
        if (!reader.AcceptWord("VERBOSE"))
            reader.TryReadOptionList("VERBOSE", out _);
        return reader.AtEnd ? "CLUSTER" : null;
    }

    /// <summary>
    /// <c>ROLLBACK</c>, <c>ABORT</c> or <c>ROLLBACK PREPARED</c>, but not <c>ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name</c>,
    /// which stays in the transaction.
    /// </summary>
    private static string? Rollback(ref TokenReader reader, string? keyword)
    {
        if (keyword == "ROLLBACK" && reader.AcceptWord("PREPARED"))
            return "ROLLBACK PREPARED";
        if (!reader.AcceptWord("WORK"))
            reader.AcceptWord("TRANSACTION");
        return reader.AcceptWord("TO") ? null : keyword;
    }

    /// <summary>What a boolean option in a parenthesised list was set to.</summary>
    private enum OptionValue
    {
        /// <summary>The option is not in the list.</summary>
        Absent,

        /// <summary>The option is given alone or with a value that is not false.</summary>
        On,

        /// <summary>The option is set to <c>false</c>, <c>off</c> or <c>0</c>.</summary>
        Off,
    }

    /// <summary>Tokens of one statement with a token of look-ahead.</summary>
    private ref struct TokenReader
    {
        private readonly ReadOnlySpan<char> _text;
        private SqlLexer _lexer;
        private SqlToken _peeked;
        private bool _hasPeeked;

        public TokenReader(ReadOnlySpan<char> text)
        {
            _text = text;
            _lexer = new SqlLexer(text);
        }

        public bool AtEnd => !TryPeek(out _);

        public bool TryPeek(out SqlToken token)
        {
            if (!_hasPeeked)
                _hasPeeked = _lexer.TryRead(out _peeked);
            token = _peeked;
            return _hasPeeked;
        }

        public bool TryRead(out SqlToken token)
        {
            var read = TryPeek(out token);
            _hasPeeked = false;
            return read;
        }

        /// <summary>Reads the next token if it is a word.</summary>
        public bool TryReadWord(out ReadOnlySpan<char> word)
        {
            if (TryPeek(out var token) && token.Kind == SqlTokenKind.Word)
            {
                _hasPeeked = false;
                word = _text.Slice(token.Start, token.Length);
                return true;
            }

            word = default;
            return false;
        }

        public readonly bool IsWord(SqlToken token, string word) =>
            token.Kind == SqlTokenKind.Word && Ascii.EqualsIgnoreCase(_text.Slice(token.Start, token.Length), word);

        private readonly bool IsSymbol(SqlToken token, char symbol) =>
            token.Kind == SqlTokenKind.Symbol && _text[token.Start] == symbol;

        /// <summary>Reads the next token if it is the (unquoted) key word <paramref name="word"/>.</summary>
        public bool AcceptWord(string word)
        {
            if (TryPeek(out var token) && IsWord(token, word))
            {
                _hasPeeked = false;
                return true;
            }

            return false;
        }

        private bool AcceptSymbol(char symbol)
        {
            if (TryPeek(out var token) && IsSymbol(token, symbol))
            {
                _hasPeeked = false;
                return true;
            }

            return false;
        }

        /// <summary>Reads a possibly qualified name: <c>name</c>, <c>"Name"</c>, <c>schema.name</c>.</summary>
        public bool SkipName()
        {
            do
            {
                if (!TryPeek(out var token) || token.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
                    return false;
                _hasPeeked = false;
            }
            while (AcceptSymbol('.'));

            return true;
        }

        /// <summary>
        /// Reads a parenthesised option list, <c>(name [=] [value], ...)</c>, if one comes next, and tells what the option
        /// <paramref name="name"/> is set to.
        /// </summary>
        public bool TryReadOptionList(string name, out OptionValue value)
        {
            value = OptionValue.Absent;
            if (!AcceptSymbol('('))
                return false;

            var depth = 1;
            var atOptionStart = true;
            while (depth > 0 && TryRead(out var token))
            {
                if (IsSymbol(token, '('))
                {
                    depth++;
                }
                else if (IsSymbol(token, ')'))
                {
                    depth--;
                }
                else if (depth == 1 && IsSymbol(token, ','))
                {
                    atOptionStart = true;
                    continue;
                }
                else if (depth == 1 && atOptionStart && IsWord(token, name))
                {
                    AcceptSymbol('=');
                    value = TryPeek(out var argument) && IsFalse(argument) ? OptionValue.Off : OptionValue.On;
                }

                atOptionStart = false;
            }

            return true;
        }

        /// <summary><c>false</c>, <c>off</c>, <c>0</c>, or one of them quoted, as PostgreSQL's <c>defGetBoolean</c> reads them.</summary>
        private readonly bool IsFalse(SqlToken token)
        {
            var text = _text.Slice(token.Start, token.Length);
            if (token.Kind == SqlTokenKind.String && text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
                text = text[1..^1];
            else if (token.Kind is not (SqlTokenKind.Word or SqlTokenKind.Number))
                return false;
            return Ascii.EqualsIgnoreCase(text, "false") || Ascii.EqualsIgnoreCase(text, "off") || text is "0";
        }
    }
}
