using System.Collections;
using System.Globalization;
using System.Text;

namespace CodeMigrations.Sql;

/// <summary>
/// A .NET value written as a PostgreSQL literal with the type Npgsql would send it as, so that a script run by psql
/// gives the server what <c>up</c> gives it: <c>'O''Brien'::text</c>, <c>42::integer</c>, <c>'…'::uuid</c>,
/// <c>'2024-01-05 09:00:00+00'::timestamptz</c>, <c>ARRAY[1, 2]::integer[]</c>. A value with no faithful literal is
/// refused, with the reason.
/// </summary>
internal static class SqlLiteral
{
    /// <summary>The literal of <paramref name="value"/>, or <see langword="null"/> and why when there is none.</summary>
    public static string? TryWrite(object? value, out string? problem)
    {
        problem = null;
        if (value is null or DBNull)
            return "NULL";
        if (ContainsNul(value))
        {
            problem = "it holds a NUL character, which PostgreSQL text cannot";
            return null;
        }

        var scalar = TryScalar(value, out var type);
        if (scalar is not null)
            return $"{scalar}::{type}";
        if (value is IEnumerable items and not string and not byte[])
            return TryArray(value.GetType(), items, out problem);
        problem = $"a {value.GetType().Name} has no literal that PostgreSQL reads as Npgsql sends it";
        return null;
    }

    private static bool ContainsNul(object value) => value switch
    {
        string text => text.Contains('\0', StringComparison.Ordinal),
        char c => c == '\0',
        IEnumerable<string?> texts => texts.Any(t => t?.Contains('\0', StringComparison.Ordinal) == true),
        _ => false,
    };

    private static string? TryArray(Type arrayType, IEnumerable items, out string? problem)
    {
        problem = null;
        var elementType = arrayType.IsArray ? arrayType.GetElementType()! : arrayType.GetInterfaces()
            .Concat([arrayType])
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        elementType = elementType is null ? null : Nullable.GetUnderlyingType(elementType) ?? elementType;
        var typeName = elementType is null ? null : TypeOf(elementType);
        if (typeName is null)
        {
            problem = $"an array of {elementType?.Name ?? "unknown values"} has no literal that PostgreSQL reads as Npgsql sends it";
            return null;
        }

        var literals = new List<string>();
        foreach (var item in items)
        {
            if (item is null or DBNull)
            {
                literals.Add("NULL");
                continue;
            }

            var scalar = TryScalar(item, out _);
            if (scalar is null)
            {
                problem = $"an array element {item.GetType().Name} has no literal";
                return null;
            }

            literals.Add(scalar);
        }

        return $"ARRAY[{string.Join(", ", literals)}]::{typeName}[]";
    }

    /// <summary>The PostgreSQL type Npgsql sends a value of <paramref name="type"/> as; <see langword="null"/> when we do not write it.</summary>
    private static string? TypeOf(Type type) => type switch
    {
        _ when type == typeof(string) || type == typeof(char) => "text",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) => "smallint",
        _ when type == typeof(int) => "integer",
        _ when type == typeof(long) => "bigint",
        _ when type == typeof(decimal) => "numeric",
        _ when type == typeof(float) => "real",
        _ when type == typeof(double) => "double precision",
        _ when type == typeof(Guid) => "uuid",
        _ when type == typeof(DateOnly) => "date",
        _ when type == typeof(TimeOnly) => "time",
        _ when type == typeof(TimeSpan) => "interval",
        _ when type == typeof(DateTimeOffset) => "timestamptz",
        _ when type == typeof(byte[]) => "bytea",
        _ when type.IsEnum => TypeOf(Enum.GetUnderlyingType(type)),
        _ => null, // DateTime's type depends on its Kind: not for arrays.
    };

    /// <summary>The literal text (without its cast) and the type to cast it to; <see langword="null"/> when there is none.</summary>
    private static string? TryScalar(object value, out string? type)
    {
        type = value switch
        {
            DateTime { Kind: DateTimeKind.Utc or DateTimeKind.Local } => "timestamptz",
            DateTime => "timestamp without time zone",
            _ => TypeOf(value.GetType()),
        };
        return value switch
        {
            string text => Quote(text),
            char c => Quote(c.ToString()),
            bool b => b ? "true" : "false",
            Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            byte or sbyte or short or int or long or decimal => Convert.ToString(value, CultureInfo.InvariantCulture),
            float f => Floating(f, "R"),
            double d => Floating(d, "R"),
            Guid g => Quote(g.ToString("D")),
            DateOnly d => Quote(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            TimeOnly t => Quote(new TimeOnly(Microseconds(t.Ticks)).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
            TimeSpan span => Interval(span),
            DateTimeOffset offset => Timestamp(offset.UtcDateTime, "+00"),
            DateTime { Kind: DateTimeKind.Utc } utc => Timestamp(utc, "+00"),
            DateTime { Kind: DateTimeKind.Local } local => Timestamp(local.ToUniversalTime(), "+00"),
            DateTime unspecified => Timestamp(unspecified, ""),
            byte[] bytes => Quote("\\x" + Convert.ToHexString(bytes)),
            _ => null,
        };
    }

    private static string Floating(IFormattable number, string format)
    {
        var text = number.ToString(format, CultureInfo.InvariantCulture);
        return text switch
        {
            "NaN" => "'NaN'",
            "∞" or "Infinity" => "'Infinity'",
            "-∞" or "-Infinity" => "'-Infinity'",
            _ => text,
        };
    }

    // As Npgsql sends a TimeSpan: whole days, then the rest in microseconds (exact whatever the IntervalStyle).
    private static string Interval(TimeSpan span) =>
        Quote(string.Create(CultureInfo.InvariantCulture, $"{span.Days} days {Microseconds(span.Ticks % TimeSpan.TicksPerDay) / 10} microseconds"));

    // Npgsql sends date and time values to the microsecond, dropping the 100 ns tick PostgreSQL cannot hold.
    private static long Microseconds(long ticks) => ticks - (ticks % 10);

    private static string Timestamp(DateTime time, string zone) =>
        Quote(new DateTime(Microseconds(time.Ticks)).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + zone);

    /// <summary>
    /// A string constant: quotes doubled; with a backslash, an escape string (<c>E'…'</c>) with backslashes doubled,
    /// so it reads the same whatever <c>standard_conforming_strings</c> is.
    /// </summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2);
        var escape = text.Contains('\\', StringComparison.Ordinal);
        quoted.Append(escape ? "E'" : "'");
        foreach (var c in text)
        {
            _ = c switch
            {
                '\'' => quoted.Append("''"),
                '\\' => quoted.Append(@"\\"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('\'').ToString();
    }
}
