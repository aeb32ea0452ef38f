using System.Collections;
using System.Reflection;
using System.Text;

namespace CodeMigrations.Sql;

/// <summary>
/// Writes a SQL step's Dapper parameters into its text as literals (<see cref="SqlLiteral"/>), for a script: each
/// <c>@name</c> outside strings, quoted identifiers and comments becomes the value's typed literal. Refuses, with the
/// reason, parameters it cannot read (only public properties of an object, or a dictionary), a value with no faithful
/// literal, and a parameter the text never names as <c>@name</c>.
/// </summary>
internal static class SqlParameterInliner
{
    /// <summary>The text with every parameter written in, or <see langword="null"/> and why it cannot be.</summary>
    public static string? TryInline(string sql, object parameters, out string? problem)
    {
        var values = ReadValues(parameters, out problem);
        if (values is null)
            return null;

        var text = new StringBuilder(sql.Length + 32);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var copied = 0;
        var lexer = new SqlLexer(sql);
        var previous = default(SqlToken?);
        while (lexer.TryRead(out var token))
        {
            if (previous is { Kind: SqlTokenKind.Symbol, Length: 1 } at && sql[at.Start] == '@' && token.Kind == SqlTokenKind.Word && token.Start == at.End)
            {
                var name = sql.Substring(token.Start, token.Length);
                if (!values.TryGetValue(name, out var value))
                {
                    problem = $"its SQL names @{name}, which its parameters do not hold";
                    return null;
                }

                var literal = SqlLiteral.TryWrite(value, out var why);
                if (literal is null)
                {
                    problem = $"parameter @{name}: {why}";
                    return null;
                }

                text.Append(sql, copied, at.Start - copied).Append(literal);
                copied = token.End;
                used.Add(name);
            }

            previous = token;
        }

        text.Append(sql, copied, sql.Length - copied);
        if (values.Keys.FirstOrDefault(k => !used.Contains(k)) is { } unused)
        {
            problem = $"parameter {unused} is not written as @{unused} in its SQL";
            return null;
        }

        return text.ToString();
    }

    private static Dictionary<string, object?>? ReadValues(object parameters, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (parameters is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
                values[key.TrimStart('@')] = value;
            return values;
        }

        if (parameters is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                values[entry.Key.ToString()!.TrimStart('@')] = entry.Value;
            return values;
        }

        var type = parameters.GetType();
        if (type.Namespace?.StartsWith("Dapper", StringComparison.Ordinal) == true)
        {
            problem = $"its parameters are a {type.Name}, whose values a script cannot read; pass an anonymous object instead";
            return null;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.CanRead)
                values[property.Name] = property.GetValue(parameters);
        }

        return values;
    }
}
