using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace CodeMigrations.History;

/// <summary>
/// One statement on the history table and its values, written once by <see cref="MigrationHistory"/>: sent with
/// parameters (<c>$1</c>, <c>$2</c>...) when the runner executes it, or rendered with SQL literals in their place when a
/// script prints it, so that a script records exactly what a run records.
/// </summary>
internal sealed class HistoryStatement
{
    private readonly string _sql;
    private readonly (object? Value, NpgsqlDbType Type)[] _values;

    /// <param name="sql">The statement, its values as <c>$1</c>, <c>$2</c>... and no other <c>$</c>.</param>
    /// <param name="values">The values, in the order of their placeholders, each with its PostgreSQL type.</param>
    public HistoryStatement(string sql, params (object? Value, NpgsqlDbType Type)[] values)
    {
        _sql = sql;
        _values = values;
    }

    public static (object? Value, NpgsqlDbType Type) Bigint(long? value) => (value, NpgsqlDbType.Bigint);

    public static (object? Value, NpgsqlDbType Type) Text(string? value) => (value, NpgsqlDbType.Text);

    public static (object? Value, NpgsqlDbType Type) TimestampTz(DateTimeOffset? value) => (value?.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    /// <summary>The statement as a command of a batch, its values as parameters.</summary>
    public NpgsqlBatchCommand ToBatchCommand()
    {
        var command = new NpgsqlBatchCommand(_sql);
        AddParameters(command.Parameters);
        return command;
    }

    /// <summary>The statement as a command on <paramref name="connection"/>, its values as parameters.</summary>
    public NpgsqlCommand ToCommand(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(_sql, connection);
        AddParameters(command.Parameters);
        return command;
    }

    /// <summary>The statement for a script: every placeholder replaced by its value as a SQL literal.</summary>
    public string ToScript()
    {
        var sql = new StringBuilder(_sql.Length + 64);
        for (var i = 0; i < _sql.Length; i++)
        {
            if (_sql[i] != '$')
            {
                sql.Append(_sql[i]);
                continue;
            }

            var end = i + 1;
            while (end < _sql.Length && char.IsAsciiDigit(_sql[end]))
                end++;
            var index = int.Parse(_sql.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture) - 1;
            sql.Append(Literal(_values[index].Value));
            i = end - 1;
        }

        return sql.ToString();
    }

    /// <summary>A value as a SQL literal (standard-conforming strings: only the quote is doubled).</summary>
    internal static string Literal(object? value) => value switch
    {
        null => "NULL",
        long number => number.ToString(CultureInfo.InvariantCulture),
        string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTimeOffset time => "'" + time.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture) + "'::timestamptz",
        _ => throw new ArgumentException($"No SQL literal for a {value.GetType().Name}.", nameof(value)),
    };

    private void AddParameters(NpgsqlParameterCollection parameters)
    {
        foreach (var (value, type) in _values)
            parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
    }
}
