namespace CodeMigrations.Sql;

/// <summary>
/// Reads SQL text as tokens, skipping whitespace and comments, with the lexical rules of psql's scanner
/// (<c>src/fe_utils/psqlscan.l</c>, itself a copy of the server's <c>scan.l</c>), assuming
/// <c>standard_conforming_strings = on</c>.
/// </summary>
/// <remarks>
/// Only what decides where a token ends is reproduced: quotes of every kind, nested <c>/* */</c> comments, <c>--</c>
/// comments, dollar quotes, and identifiers and numbers swallowing a following <c>$</c> or letter. Operators are read
/// one character at a time (<c>&lt;@</c> is two <see cref="SqlTokenKind.Symbol"/> tokens), which cuts no comment or
/// quote differently. An unterminated quote runs to the end of the text; so does an unterminated <c>/*</c> comment,
/// returned as a <see cref="SqlTokenKind.UnterminatedComment"/> token so that it is sent, and refused by the server,
/// rather than trimmed away. psql's backslash commands are not interpreted (<c>\</c> is a plain symbol), nor are its
/// <c>:variable</c> references substituted, though they are lexed as psql lexes them.
/// </remarks>
internal ref struct SqlLexer
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    /// <summary>A lexer at the start of <paramref name="text"/>; token positions are indexes in it.</summary>
    public SqlLexer(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
    }

    /// <summary>Reads the next token; false at the end of the text (nothing but whitespace and comments left).</summary>
    public bool TryRead(out SqlToken token)
    {
        var text = _text;
        var i = SkipWhitespaceAndComments(text, _position);
        if (i >= text.Length)
        {
            _position = text.Length;
            token = default;
            return false;
        }

        var start = i;
        var c = text[i];
        SqlTokenKind kind;
        if (c == '\'')
        {
            kind = SqlTokenKind.String;
            i = SkipQuotedString(text, i + 1, backslashEscapes: false);
        }
        else if (c == '"')
        {
            kind = SqlTokenKind.QuotedIdentifier;
            i = SkipQuotedIdentifier(text, i + 1);
        }
        else if (IsIdentifierStart(c))
        {
            (kind, i) = ReadWordOrPrefixedQuote(text, i);
        }
        else if (char.IsAsciiDigit(c))
        {
            kind = SqlTokenKind.Number;
            i = SkipNumber(text, i);
        }
        else if (c == '$')
        {
            (kind, i) = ReadDollar(text, i);
        }
        else if (c == ':')
        {
            (kind, i) = ReadColon(text, i);
        }
        else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
        {
            // Only an unclosed comment is left here: it runs to the end, and stays in the statement for the server to refuse.
            kind = SqlTokenKind.UnterminatedComment;
            i = text.Length;
        }
        else
        {
            kind = SqlTokenKind.Symbol;
            i++;
        }

        _position = i;
        token = new SqlToken(kind, start, i - start);
        return true;
    }

    /// <summary><c>[A-Za-z\200-\377_]</c>: any non-ASCII character counts, as its UTF-8 bytes do for the server.</summary>
    internal static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    /// <summary><c>[A-Za-z\200-\377_0-9\$]</c>: a <c>$</c> inside an identifier is part of it, never a dollar quote.</summary>
    internal static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    /// <summary>
    /// <c>[A-Za-z\200-\377_0-9]</c>: the characters of a dollar-quote tag after its first one, and of a psql variable name.
    /// </summary>
    private static bool IsDollarTagPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);

    private static int SkipWhitespaceAndComments(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                i = SkipLineComment(text, i + 2);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = SkipBlockComment(text, i + 2);
                if (end < 0)
                    break;
                i = end;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>From just after <c>--</c> to the next line break (not consumed), or the end.</summary>
    private static int SkipLineComment(ReadOnlySpan<char> text, int i)
    {
        var newline = text[i..].IndexOfAny('\n', '\r');
        return newline < 0 ? text.Length : i + newline;
    }

    /// <summary>
    /// From just after <c>/*</c> to just after the matching <c>*/</c> (block comments nest); -1 if the comment is not
    /// closed.
    /// </summary>
    private static int SkipBlockComment(ReadOnlySpan<char> text, int i)
    {
        var depth = 0;
        while (true)
        {
            var next = text[i..].IndexOfAny('*', '/');
            if (next < 0)
                return -1;
            i += next;
            if (i + 1 >= text.Length)
                return -1;
            if (text[i] == '*' && text[i + 1] == '/')
            {
                i += 2;
                if (depth == 0)
                    return i;
                depth--;
            }
            else if (text[i] == '/' && text[i + 1] == '*')
            {
                i += 2;
                depth++;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// From just after an opening <c>'</c> to just after the closing one. <c>''</c> is a quote; with
    /// <paramref name="backslashEscapes"/> (<c>E'...'</c>), so is <c>\'</c>, and a backslash escapes any character.
    /// </summary>
    /// <remarks>
    /// SQL's continuation of a string on the next line (<c>E'a'\n'b'</c>) is not followed: psql reads a file line by
    /// line and its lexer never sees the line break, so it starts a new string there, in standard mode. Where that
    /// matters (a backslash before a quote in the continued part of an <c>E''</c> string), psql cuts where this does.
    /// </remarks>
    private static int SkipQuotedString(ReadOnlySpan<char> text, int i, bool backslashEscapes)
    {
        while (true)
        {
            var next = backslashEscapes ? text[i..].IndexOfAny('\'', '\\') : text[i..].IndexOf('\'');
            if (next < 0)
                return text.Length;
            i += next;
            if (text[i] == '\\')
            {
                i += 2;
                if (i >= text.Length)
                    return text.Length;
                continue;
            }

            i++;
            if (i < text.Length && text[i] == '\'')
                i++;
            else
                return i;
        }
    }

    /// <summary>From just after an opening <c>"</c> to just after the closing one; <c>""</c> is a quote.</summary>
    private static int SkipQuotedIdentifier(ReadOnlySpan<char> text, int i)
    {
        while (true)
        {
            var next = text[i..].IndexOf('"');
            if (next < 0)
                return text.Length;
            i += next + 1;
            if (i < text.Length && text[i] == '"')
                i++;
            else
                return i;
        }
    }

    /// <summary>
    /// An identifier, or one of the quotes that start with letters: <c>E'</c>, <c>U&amp;'</c>, <c>U&amp;"</c>, <c>B'</c>,
    /// <c>X'</c>, <c>N'</c>. Only at the start of a token: in <c>rate'x'</c> the <c>e</c> belongs to the identifier.
    /// </summary>
    private static (SqlTokenKind Kind, int End) ReadWordOrPrefixedQuote(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        if (next == '\'')
        {
            switch (c)
            {
                case 'e' or 'E':
                    return (SqlTokenKind.String, SkipQuotedString(text, i + 2, backslashEscapes: true));
                case 'b' or 'B' or 'x' or 'X' or 'n' or 'N':
                    return (SqlTokenKind.String, SkipQuotedString(text, i + 2, backslashEscapes: false));
            }
        }
        else if (next == '&' && c is 'u' or 'U' && i + 2 < text.Length)
        {
            if (text[i + 2] == '\'')
                return (SqlTokenKind.String, SkipQuotedString(text, i + 3, backslashEscapes: false));
            if (text[i + 2] == '"')
                return (SqlTokenKind.QuotedIdentifier, SkipQuotedIdentifier(text, i + 3));
        }

        return (SqlTokenKind.Word, SkipIdentifierPart(text, i + 1));
    }

    private static int SkipIdentifierPart(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && IsIdentifierPart(text[i]))
            i++;
        return i;
    }

    private static int SkipDigits(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
            i++;
        return i;
    }

    /// <summary>
    /// A number: digits, a fraction (but not <c>1..10</c>'s <c>..</c>), an exponent (<c>1e-</c> is taken whole, as the
    /// server's <c>{realfail}</c> does), then any identifier glued to it (<c>{integer_junk}</c>: <c>1abc$$</c> is one
    /// token, whose <c>$$</c> opens no dollar quote).
    /// </summary>
    private static int SkipNumber(ReadOnlySpan<char> text, int i)
    {
        i = SkipDigits(text, i);
        if (i + 1 < text.Length && text[i] == '.' && text[i + 1] != '.')
            i = SkipDigits(text, i + 1);
        else if (i + 1 == text.Length && text[i] == '.')
            i++;

        if (i + 1 < text.Length && text[i] is 'e' or 'E' && text[i + 1] is '+' or '-')
        {
            var digits = SkipDigits(text, i + 2);
            if (digits == i + 2)
                return digits;
            i = digits;
        }

        return SkipGluedIdentifier(text, i);
    }

    /// <summary>
    /// An identifier right after a number or parameter belongs to it (<c>{integer_junk}</c>, <c>{param_junk}</c>), but
    /// only one that starts there: <c>1$$</c> is <c>1</c> then a dollar quote.
    /// </summary>
    private static int SkipGluedIdentifier(ReadOnlySpan<char> text, int i) =>
        i < text.Length && IsIdentifierStart(text[i]) ? SkipIdentifierPart(text, i + 1) : i;

    /// <summary>
    /// At a <c>:</c>: <c>::</c>, or psql's variable reference <c>:name</c> (its name has no <c>$</c>, so in
    /// <c>:name$$</c> a dollar quote opens), or a lone <c>:</c>.
    /// </summary>
    private static (SqlTokenKind Kind, int End) ReadColon(ReadOnlySpan<char> text, int i)
    {
        var after = i + 1;
        if (after < text.Length && text[after] == ':')
            return (SqlTokenKind.Symbol, after + 1);
        while (after < text.Length && IsDollarTagPart(text[after]))
            after++;
        return after == i + 1 ? (SqlTokenKind.Symbol, after) : (SqlTokenKind.PsqlVariable, after);
    }

    /// <summary>
    /// At a <c>$</c>: a positional parameter (<c>$1</c>), a dollar-quoted string (<c>$$...$$</c>,
    /// <c>$tag$...$tag$</c>, ending at the first identical delimiter), or a lone <c>$</c>.
    /// </summary>
    private static (SqlTokenKind Kind, int End) ReadDollar(ReadOnlySpan<char> text, int i)
    {
        var after = i + 1;
        if (after < text.Length && char.IsAsciiDigit(text[after]))
        {
            while (after < text.Length && char.IsAsciiDigit(text[after]))
                after++;
            return (SqlTokenKind.Parameter, SkipGluedIdentifier(text, after));
        }

        if (after < text.Length && IsIdentifierStart(text[after]))
        {
            after++;
            while (after < text.Length && IsDollarTagPart(text[after]))
                after++;
        }

        if (after >= text.Length || text[after] != '$')
            return (SqlTokenKind.Symbol, i + 1);

        var delimiter = text[i..(after + 1)];
        var bodyStart = after + 1;
        var close = text[bodyStart..].IndexOf(delimiter);
        return (SqlTokenKind.String, close < 0 ? text.Length : bodyStart + close + delimiter.Length);
    }
}
