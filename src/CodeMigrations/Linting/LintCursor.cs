namespace CodeMigrations.Linting;

/// <summary>Reads a run of tokens (a statement, or one action of an <c>ALTER TABLE</c>) front to back.</summary>
internal sealed class LintCursor
{
    private readonly IReadOnlyList<LintToken> _tokens;
    private readonly int _end;

    public LintCursor(IReadOnlyList<LintToken> tokens, int start, int end)
    {
        _tokens = tokens;
        Position = start;
        _end = end;
    }

    public LintCursor(IReadOnlyList<LintToken> tokens)
        : this(tokens, 0, tokens.Count)
    {
    }

    public int Position { get; private set; }

    public bool AtEnd => Position >= _end;

    public LintToken? Peek(int ahead = 0) => Position + ahead < _end ? _tokens[Position + ahead] : null;

    public bool PeekWord(string keyword, int ahead = 0) => Peek(ahead) is { } token && token.IsWord(keyword);

    public LintToken? Next() => Position < _end ? _tokens[Position++] : null;

    /// <summary>Reads the next token if it is the key word <paramref name="keyword"/>.</summary>
    public bool Accept(string keyword)
    {
        if (!PeekWord(keyword))
            return false;
        Position++;
        return true;
    }

    /// <summary>Reads the key words <paramref name="keywords"/> if they all come next, in order; otherwise reads nothing.</summary>
    public bool Accept(params string[] keywords)
    {
        for (var i = 0; i < keywords.Length; i++)
        {
            if (!PeekWord(keywords[i], i))
                return false;
        }

        Position += keywords.Length;
        return true;
    }

    public bool AcceptSymbol(char symbol)
    {
        if (Peek() is not { } token || !token.IsSymbol(symbol))
            return false;
        Position++;
        return true;
    }

    /// <summary>Reads a possibly qualified name (<c>schema.table</c>) and returns its last part, as stored; null if none comes next.</summary>
    public string? ReadName()
    {
        string? name = null;
        do
        {
            if (Peek() is not { IsName: true } token)
                return name;
            name = token.Name;
            Position++;
        }
        while (AcceptSymbol('.'));

        return name;
    }

    /// <summary>Reads a parenthesised group with what it holds, if one comes next; returns its inner tokens' range.</summary>
    public bool TrySkipParentheses(out int innerStart, out int innerEnd)
    {
        innerStart = innerEnd = Position;
        if (!AcceptSymbol('('))
            return false;
        innerStart = Position;
        var depth = 1;
        while (Next() is { } token)
        {
            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')') && --depth == 0)
            {
                innerEnd = Position - 1;
                return true;
            }
        }

        innerEnd = Position;
        return true;
    }

    /// <summary>Whether a key word occurs in what is left, outside parentheses.</summary>
    public bool ContainsTopLevel(string keyword) => IndexOfTopLevel(keyword) >= 0;

    /// <summary>The position of the first <paramref name="keyword"/> left outside parentheses; -1 if there is none.</summary>
    public int IndexOfTopLevel(string keyword)
    {
        var depth = 0;
        for (var i = Position; i < _end; i++)
        {
            var token = _tokens[i];
            if (token.IsSymbol('('))
                depth++;
            else if (token.IsSymbol(')'))
                depth--;
            else if (depth == 0 && token.IsWord(keyword))
                return i;
        }

        return -1;
    }

    /// <summary>Whether a key word occurs anywhere in what is left.</summary>
    public bool Contains(string keyword)
    {
        for (var i = Position; i < _end; i++)
        {
            if (_tokens[i].IsWord(keyword))
                return true;
        }

        return false;
    }

    /// <summary>Splits what is left at commas outside parentheses (the actions of an <c>ALTER TABLE</c>).</summary>
    public List<LintCursor> SplitTopLevel(char separator)
    {
        var parts = new List<LintCursor>();
        var depth = 0;
        var start = Position;
        for (var i = Position; i < _end; i++)
        {
            var token = _tokens[i];
            if (token.IsSymbol('('))
            {
                depth++;
            }
            else if (token.IsSymbol(')'))
            {
                depth--;
            }
            else if (depth == 0 && token.IsSymbol(separator))
            {
                parts.Add(new LintCursor(_tokens, start, i));
                start = i + 1;
            }
        }

        parts.Add(new LintCursor(_tokens, start, _end));
        return parts;
    }

    /// <summary>The tokens from the current position up to <paramref name="end"/>, joined by single spaces, lower-cased words.</summary>
    public string Normalized(int end)
    {
        var parts = new List<string>();
        for (var i = Position; i < end && i < _end; i++)
        {
            var token = _tokens[i];
            parts.Add(token.Kind == Sql.SqlTokenKind.Word ? token.Text.ToLowerInvariant() : token.Text);
        }

        return string.Join(" ", parts);
    }

    /// <summary>A cursor over the tokens from <paramref name="start"/> to <paramref name="end"/> of the same statement.</summary>
    public LintCursor Range(int start, int end) => new(_tokens, start, end);

    public void MoveTo(int position) => Position = Math.Min(position, _end);

    public int End => _end;

    public LintToken this[int index] => _tokens[index];
}
