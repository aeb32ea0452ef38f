namespace CodeMigrations.Linting;

/// <summary>
/// Column types as the rules compare them: normalised text (<c>varchar(20)</c>), and the type changes PostgreSQL makes
/// without rewriting the table (binary-coercible, with a modifier that only widens).
/// </summary>
internal static class ColumnTypes
{
    private static readonly string[] SerialTypes = ["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"];

    /// <summary>Functions whose value differs row by row: as a column default they force a rewrite.</summary>
    private static readonly string[] VolatileFunctions =
    [
        "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7",
        "clock_timestamp", "timeofday", "nextval", "txid_current", "random_normal", "gen_random_bytes", "setseed",
    ];

    /// <summary>
    /// The tokens of a type, joined as PostgreSQL prints them: words lower-cased, a space only between two words, and
    /// the SQL spellings of common types shortened (<c>character varying</c> is <c>varchar</c>).
    /// </summary>
    public static string Normalize(LintCursor cursor, int end)
    {
        var text = new System.Text.StringBuilder();
        LintToken? previous = null;
        for (var i = cursor.Position; i < end; i++)
        {
            var token = cursor[i];
            if (previous is { } p && IsWordLike(p) && IsWordLike(token))
                text.Append(' ');
            text.Append(token.Kind == Sql.SqlTokenKind.Word ? token.Text.ToLowerInvariant() : token.Name);
            previous = token;
        }

        var type = text.ToString();
        foreach (var (alias, name) in Aliases)
        {
            if (type.StartsWith(alias, StringComparison.Ordinal) && (type.Length == alias.Length || !char.IsLetterOrDigit(type[alias.Length])))
                return name + type.Substring(alias.Length);
        }

        return type;
    }

    private static readonly (string Alias, string Name)[] Aliases =
    [
        ("character varying", "varchar"), ("char varying", "varchar"), ("bit varying", "varbit"), ("decimal", "numeric"),
        ("integer", "int4"), ("int", "int4"), ("bigint", "int8"), ("smallint", "int2"), ("character", "bpchar"),
        ("timestamp with time zone", "timestamptz"), ("timestamp without time zone", "timestamp"),
    ];

    private static bool IsWordLike(LintToken token) =>
        token.Kind is Sql.SqlTokenKind.Word or Sql.SqlTokenKind.QuotedIdentifier or Sql.SqlTokenKind.Number;

    public static bool IsSerial(string type)
    {
        foreach (var serial in SerialTypes)
        {
            if (type == serial)
                return true;
        }

        return false;
    }

    /// <summary>Whether the tokens call a function that returns a new value for every row.</summary>
    public static bool CallsVolatileFunction(LintCursor expression)
    {
        for (var i = expression.Position; i + 1 < expression.End; i++)
        {
            var token = expression[i];
            if (token.IsName && expression[i + 1].IsSymbol('(') && Array.IndexOf(VolatileFunctions, token.Name) >= 0)
                return true;
        }

        return false;
    }

    /// <summary>
    /// Whether changing a column from <paramref name="from"/> to <paramref name="to"/> (both normalised) keeps the table
    /// as it is: varchar(n) to a larger n, to varchar or text; text to varchar; numeric(p, s) to a larger p with the same
    /// s or to numeric; varbit likewise; cidr to inet.
    /// </summary>
    public static bool ChangesWithoutRewrite(string from, string to)
    {
        if (from == to)
            return true;
        var (fromBase, fromArgs) = Parse(from);
        var (toBase, toArgs) = Parse(to);
        if (fromBase is null || toBase is null)
            return false;
        switch (toBase)
        {
            case "text":
                return fromBase is "varchar" or "text";
            case "varchar":
                return (fromBase == "varchar" && Widens(fromArgs, toArgs)) || (fromBase == "text" && toArgs.Length == 0);
            case "varbit":
                return fromBase == "varbit" && Widens(fromArgs, toArgs);
            case "numeric":
                return fromBase == "numeric" && (toArgs.Length == 0
                    || (fromArgs.Length > 0 && toArgs[0] >= fromArgs[0] && Scale(fromArgs) == Scale(toArgs)));
            case "inet":
                return fromBase == "cidr";
            default:
                return false;
        }
    }

    /// <summary>No length limit, or a limit at least the old one.</summary>
    private static bool Widens(int[] from, int[] to) => to.Length == 0 || (from.Length > 0 && to[0] >= from[0]);

    private static int Scale(int[] args) => args.Length > 1 ? args[1] : 0;

    /// <summary><c>varchar(20)</c> is (varchar, [20]); null for a type with anything else after its modifier.</summary>
    private static (string? Base, int[] Args) Parse(string type)
    {
        var open = type.IndexOf('(');
        if (open < 0)
            return (type, []);
        var close = type.IndexOf(')');
        if (close != type.Length - 1)
            return (null, []);
        var parts = type.Substring(open + 1, close - open - 1).Split(',');
        var args = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out args[i]))
                return (null, []);
        }

        return (type.Substring(0, open), args);
    }
}
