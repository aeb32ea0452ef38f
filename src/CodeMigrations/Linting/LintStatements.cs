using CodeMigrations.Sql;

namespace CodeMigrations.Linting;

/// <summary>
/// Cuts the SQL of a step into statements of tokens with <see cref="SqlLexer"/>: a <c>;</c> outside parentheses ends
/// one, except inside the <c>BEGIN ... END</c> body of a <c>CREATE FUNCTION</c> or <c>CREATE PROCEDURE</c>, as psql cuts.
/// </summary>
internal static class LintStatements
{
    public static List<LintStatement> Split(string sql)
    {
        var statements = new List<LintStatement>();
        var lexer = new SqlLexer(sql.AsSpan());
        var tokens = new List<LintToken>();
        var parenDepth = 0;
        var beginDepth = 0;
        while (lexer.TryRead(out var raw))
        {
            var token = new LintToken(raw.Kind, sql.Substring(raw.Start, raw.Length), raw.Start);
            if (token.IsSymbol(';') && parenDepth == 0 && beginDepth == 0)
            {
                Add(sql, tokens, statements);
                tokens = [];
                continue;
            }

            if (token.IsSymbol('('))
            {
                parenDepth++;
            }
            else if (token.IsSymbol(')') && parenDepth > 0)
            {
                parenDepth--;
            }
            else if (token.Kind == SqlTokenKind.Word && parenDepth == 0 && IsCreateRoutine(tokens))
            {
                if (token.IsWord("BEGIN") || (token.IsWord("CASE") && beginDepth > 0))
                    beginDepth++;
                else if (token.IsWord("END") && beginDepth > 0)
                    beginDepth--;
            }

            tokens.Add(token);
        }

        Add(sql, tokens, statements);
        return statements;
    }

    private static void Add(string sql, List<LintToken> tokens, List<LintStatement> statements)
    {
        if (tokens.Count == 0)
            return;
        var start = tokens[0].Start;
        var text = sql.Substring(start, tokens[tokens.Count - 1].End - start);
        statements.Add(new LintStatement(text, tokens));
    }

    /// <summary><c>CREATE [OR REPLACE] {FUNCTION|PROCEDURE}</c>: the statements whose body may hold <c>;</c>.</summary>
    private static bool IsCreateRoutine(List<LintToken> tokens)
    {
        if (tokens.Count < 2 || !tokens[0].IsWord("CREATE"))
            return false;
        var i = tokens.Count >= 4 && tokens[1].IsWord("OR") && tokens[2].IsWord("REPLACE") ? 3 : 1;
        return tokens[i].IsWord("FUNCTION") || tokens[i].IsWord("PROCEDURE");
    }
}

/// <summary>One statement: its text (without the <c>;</c>) and its tokens.</summary>
internal sealed class LintStatement
{
    public LintStatement(string text, IReadOnlyList<LintToken> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<LintToken> Tokens { get; }
}
