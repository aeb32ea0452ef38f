using System.Globalization;
using System.Text;
using Npgsql;

namespace CodeMigrations.Schema;

/// <summary>How the catalog reader builds objects from rows, and the SQL fragments its queries share.</summary>
internal static partial class SchemaCatalogReader
{
    private static SchemaObject Make(SchemaObjectKind kind, string name, SchemaSortKey key, params (string Name, string? Value)[] properties)
    {
        var list = new List<SchemaProperty>(properties.Length);
        foreach (var (propertyName, value) in properties)
        {
            if (value is not null)
                list.Add(new SchemaProperty(propertyName, value));
        }

        return new SchemaObject(kind, name, list, key);
    }

    /// <summary>A text column, normalised: no leading or trailing blank space, none at the end of any line.</summary>
    private static string? Text(NpgsqlDataReader row, int ordinal)
    {
        if (row.IsDBNull(ordinal))
            return null;
        var text = row.GetString(ordinal);
        if (text.Length == 0)
            return null;
        if (!text.Contains('\n', StringComparison.Ordinal))
            return text.Trim();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var normalised = new StringBuilder(text.Length);
        foreach (var line in lines)
            normalised.Append(line.TrimEnd()).Append('\n');
        return normalised.ToString().Trim('\n', ' ');
    }

    private static string? Number(NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : Convert.ToString(row.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A text as a SQL string literal: <c>it's</c> becomes <c>'it''s'</c>.</summary>
    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>SQL for a quoted name, qualified by its schema unless that is <c>public</c>.</summary>
    private static string Qualified(string schema, string name) =>
        $"CASE WHEN {schema} = 'public' THEN '' ELSE quote_ident({schema}) || '.' END || quote_ident({name})";

    /// <summary>SQL for an object's comment; a subquery rather than obj_description, a SQL function planned again on every call.</summary>
    private static string Comment(string oid, string catalog, string subId = "0") =>
        $"(SELECT ds.description FROM pg_description ds WHERE ds.objoid = {oid} AND ds.classoid = '{catalog}'::regclass AND ds.objsubid = {subId})";

    /// <summary>SQL for a collation's name, qualified unless it is one of PostgreSQL's own.</summary>
    private static string CollationName(string oid) =>
        $"(SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN '' ELSE quote_ident(cn.nspname) || '.' END || quote_ident(co.collname) " +
        $"FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = {oid})";

    /// <summary>SQL that is true unless the object belongs to an extension (then the extension describes it).</summary>
    private static string NotMember(string catalog, string oid) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{catalog}'::regclass AND x.objid = {oid} AND x.deptype = 'e')";
}
