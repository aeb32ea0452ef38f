using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace CodeMigrations.Execution;

/// <summary>
/// The checksum of a migration's Up steps, recorded in the history so that a later change to an applied migration
/// can be noticed.
/// </summary>
/// <remarks>
/// What is hashed (SHA-256, lowercase hex), in step order, after the line <c>codemigrations-checksum-v1</c>:
/// <list type="bullet">
/// <item>a SQL step: <c>sql</c>, then its text with line endings normalised to <c>\n</c>, trailing whitespace removed
/// from each line and leading/trailing blank lines removed; then each parameter as <c>@name=value</c> (names sorted
/// ordinally, values formatted with the invariant culture, <c>null</c> for null);</item>
/// <item>a code step: <c>code</c> and the step's name (or <c>unnamed</c>): its code cannot be hashed.</item>
/// </list>
/// </remarks>
internal static class MigrationChecksum
{
    public static string Compute(IReadOnlyList<MigrationStep> steps)
    {
        var text = new StringBuilder("codemigrations-checksum-v1\n");
        foreach (var step in steps)
        {
            switch (step)
            {
                case SqlStep sql:
                    text.Append("sql\n").Append(NormaliseSql(sql.Sql)).Append('\n');
                    foreach (var (name, value) in DescribeParameters(sql.Parameters))
                        text.Append('@').Append(name).Append('=').Append(value).Append('\n');
                    break;
                case CodeStep code:
                    text.Append("code\n").Append(code.Name ?? "unnamed").Append('\n');
                    break;
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    internal static string NormaliseSql(string sql)
    {
        var lines = sql.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd());
        return string.Join('\n', lines).Trim('\n');
    }

    private static IEnumerable<(string Name, string Value)> DescribeParameters(object? parameters)
    {
        if (parameters is null)
            return [];
        IEnumerable<(string, object?)> values = parameters switch
        {
            DynamicParameters dynamic => dynamic.ParameterNames.Select(n => (n, (object?)((SqlMapper.IParameterLookup)dynamic)[n])),
            IEnumerable<KeyValuePair<string, object?>> pairs => pairs.Select(p => (p.Key, p.Value)),
            _ => parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                .Select(p => (p.Name, p.GetValue(parameters))),
        };
        return values
            .Select(v => (v.Item1, Convert.ToString(v.Item2, CultureInfo.InvariantCulture) ?? "null"))
            .OrderBy(v => v.Item1, StringComparer.Ordinal);
    }
}
