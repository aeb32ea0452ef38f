using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace CodeMigrations.Schema;

/// <summary>
/// Reads the catalogs into <see cref="SchemaObject"/>s: one query per kind of object, all sent as one batch (one round
/// trip), under an empty <c>search_path</c> so that PostgreSQL qualifies every user-defined name in the definitions it
/// prints, whatever the caller's settings.
/// </summary>
internal static partial class SchemaCatalogReader
{
    // Sections of the snapshot text, in order.
    private const int SchemasSection = 0;
    private const int ExtensionsSection = 1;
    private const int TypesSection = 2;
    private const int SequencesSection = 3;
    private const int TablesSection = 4;
    private const int ViewsSection = 5;
    private const int RoutinesSection = 6;

    private const string UserNamespace =
        "(n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_')";

    private const string SaveSearchPath =
        "SELECT set_config('codemigrations.saved_search_path', current_setting('search_path'), true), set_config('search_path', '', true)";

    private const string RestoreSearchPath =
        "SELECT set_config('search_path', current_setting('codemigrations.saved_search_path'), true)";

    private static readonly string[] Queries =
    [
        // 0: schemas
        $"""
        SELECT quote_ident(n.nspname), {Comment("n.oid", "pg_namespace")}, quote_ident(pg_get_userbyid(n.nspowner))
        FROM pg_namespace n
        WHERE {UserNamespace} AND {NotMember("pg_namespace", "n.oid")}
        """,

        // 1: extensions
        $"""
        SELECT quote_ident(e.extname), e.extversion, quote_ident(n.nspname), {Comment("e.oid", "pg_extension")}
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        """,

        // 2: enums, domains, composite and range types
        $"""
        SELECT t.typtype, {Qualified("n.nspname", "t.typname")},
               CASE t.typtype WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) WHEN 'r' THEN format_type(r.rngsubtype, NULL) END,
               t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
               CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN {CollationName("t.typcollation")} END,
               CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,
               CASE WHEN t.typtype = 'c' THEN (
                   SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                              || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || {CollationName("a.attcollation")} ELSE '' END,
                          ', ' ORDER BY a.attnum)
                   FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
               {Comment("t.oid", "pg_type")}, quote_ident(pg_get_userbyid(t.typowner))
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
        LEFT JOIN pg_range r ON r.rngtypid = t.oid
        LEFT JOIN pg_class tc ON tc.oid = t.typrelid
        WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c'))
          AND {UserNamespace} AND {NotMember("pg_type", "t.oid")}
        """,

        // 3: tables, views, materialized views and sequences (not the sequences of identity columns)
        $"""
        SELECT c.relkind, {Qualified("n.nspname", "c.relname")}, {Comment("c.oid", "pg_class")},
               c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, array_to_string(c.reloptions, ', '),
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
               CASE WHEN c.relispartition THEN (
                   SELECT {Qualified("pn.nspname", "pc.relname")} FROM pg_inherits i
                   JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                   WHERE i.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid) END,
               CASE WHEN NOT c.relispartition THEN (
                   SELECT string_agg({Qualified("pn.nspname", "pc.relname")}, ', ' ORDER BY i.inhseqno) FROM pg_inherits i
                   JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                   WHERE i.inhrelid = c.oid) END,
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,
               format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               (SELECT {Qualified("dn.nspname", "dc.relname")} || '.' || quote_ident(da.attname)
                FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'),
               CASE WHEN c.relkind IN ('r', 'p', 'f') THEN (
                   SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) END,
               quote_ident(pg_get_userbyid(c.relowner)),
               CASE c.relreplident WHEN 'n' THEN 'nothing' WHEN 'f' THEN 'full' WHEN 'i' THEN 'using index ' || (
                   SELECT quote_ident(ri.relname) FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident) END
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_sequence s ON s.seqrelid = c.oid
        WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
          AND {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0 AND d.deptype IN ('e', 'i'))
        """,

        // 4: columns of tables
        $"""
        SELECT {Qualified("n.nspname", "c.relname")}, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull,
               CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
               CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
               a.attidentity::text,
               CASE WHEN a.attcollation <> t.typcollation THEN {CollationName("a.attcollation")} END,
               {Comment("a.attrelid", "pg_class", "a.attnum")}, a.attgenerated::text,
               CASE WHEN a.attidentity <> '' THEN (
                   SELECT format('start %s increment %s minimum %s maximum %s cache %s%s', s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
                                 CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END)
                   FROM pg_depend dd JOIN pg_sequence s ON s.seqrelid = dd.objid
                   WHERE dd.classid = 'pg_class'::regclass AND dd.refclassid = 'pg_class'::regclass AND dd.refobjid = a.attrelid
                     AND dd.refobjsubid = a.attnum AND dd.deptype = 'i') END,
               nullif(a.attstattarget, -1)::text,
               CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END END,
               CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
          AND {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL) AND {NotMember("pg_class", "c.oid")}
        """,

        // 5: constraints of tables and domains (NOT NULL is a column or domain property)
        $"""
        SELECT c.contype, c.conrelid <> 0, {Qualified("n.nspname", "coalesce(r.relname, t.typname)")}, quote_ident(c.conname),
               pg_get_constraintdef(c.oid), {Comment("c.oid", "pg_constraint")}
        FROM pg_constraint c
        LEFT JOIN pg_class r ON r.oid = c.conrelid
        LEFT JOIN pg_type t ON t.oid = c.contypid
        JOIN pg_namespace n ON n.oid = coalesce(r.relnamespace, t.typnamespace)
        WHERE c.contype IN ('p', 'u', 'f', 'c', 'x')
          AND {UserNamespace} AND c.conrelid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL)
          AND {NotMember("pg_class", "r.oid")} AND {NotMember("pg_type", "t.oid")}
        """,

        // 6: indexes that do not back a constraint
        $"""
        SELECT {Qualified("n.nspname", "ic.relname")}, {Qualified("tn.nspname", "tc.relname")}, tc.relkind,
               pg_get_indexdef(i.indexrelid), i.indisvalid, {Comment("i.indexrelid", "pg_class")}
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace tn ON tn.oid = tc.relnamespace
        WHERE {UserNamespace} AND i.indrelid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
          AND {NotMember("pg_class", "i.indrelid")}
        """,

        // 7: functions, procedures and aggregates (not the constructors PostgreSQL makes for range types)
        $"""
        SELECT p.prokind, {Qualified("n.nspname", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')',
               CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) ELSE
                   'RETURNS ' || pg_get_function_result(p.oid) || ' SFUNC ' || ag.aggtransfn::regproc || ' STYPE ' || format_type(ag.aggtranstype, NULL)
                   || coalesce(' FINALFUNC ' || nullif(ag.aggfinalfn, 0)::regproc, '')
                   || coalesce(' COMBINEFUNC ' || nullif(ag.aggcombinefn, 0)::regproc, '')
                   || coalesce(' SORTOP ' || nullif(ag.aggsortop, 0)::regoperator, '')
                   || coalesce(' INITCOND ' || quote_literal(ag.agginitval), '') END,
               {Comment("p.oid", "pg_proc")}, quote_ident(pg_get_userbyid(p.proowner))
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
        WHERE {UserNamespace}
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
        """,

        // 8: triggers (not the internal ones behind foreign keys)
        $"""
        SELECT {Qualified("n.nspname", "c.relname")}, c.relkind, quote_ident(t.tgname), pg_get_triggerdef(t.oid), t.tgenabled::text,
               {Comment("t.oid", "pg_trigger")}
        FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL) AND {NotMember("pg_class", "c.oid")}
        """,

        // 9: row-level security policies
        $"""
        SELECT {Qualified("n.nspname", "c.relname")}, quote_ident(p.polname), p.polcmd::text, p.polpermissive,
               CASE WHEN p.polroles = ARRAY[0]::oid[] THEN 'public' ELSE (
                   SELECT string_agg(quote_ident(r.rolname), ', ' ORDER BY r.rolname) FROM pg_roles r WHERE r.oid = ANY (p.polroles)) END,
               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), {Comment("p.oid", "pg_policy")}
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL) AND {NotMember("pg_class", "c.oid")}
        """,
    ];

    /// <summary>Reads every object, in no particular order.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="historyTables">The quoted, qualified names of the tables CodeMigrations keeps (the history, its validated build) to leave out; empty for none.</param>
    /// <param name="prepare">
    /// Prepares the queries on the connection, which then keeps them: planning them costs more than running them on a
    /// small schema, so a run that snapshots hundreds of times on its own connection (verify) prepares them once.
    /// </param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public static async Task<List<SchemaObject>> ReadAsync(NpgsqlConnection connection, IReadOnlyList<string> historyTables, bool prepare, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SaveSearchPath));
        foreach (var sql in Queries.Concat(MoreQueries))
        {
            var command = new NpgsqlBatchCommand(sql);
            if (sql.Contains("$1", StringComparison.Ordinal))
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = historyTables.ToArray() });
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(RestoreSearchPath));
        if (prepare)
            await batch.PrepareAsync(cancellationToken);

        var objects = new List<SchemaObject>(256);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        Action<NpgsqlDataReader, List<SchemaObject>>[] readers =
        [
            ReadSchema, ReadExtension, ReadType, ReadRelation, ReadColumn, ReadConstraint, ReadIndex, ReadRoutine, ReadTrigger, ReadPolicy,
            .. MoreReaders,
        ];
        foreach (var read in readers)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                read(reader, objects);
        }

        await reader.NextResultAsync(cancellationToken);
        return objects;
    }

    private static void ReadSchema(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        objects.Add(Make(SchemaObjectKind.Schema, name, new(SchemasSection, name, 0, name), ("owner", Text(row, 2)), ("comment", Text(row, 1))));
    }

    private static void ReadExtension(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        objects.Add(Make(SchemaObjectKind.Extension, name, new(ExtensionsSection, name, 0, name),
            ("version", row.GetString(1)), ("schema", row.GetString(2)), ("comment", Text(row, 3))));
    }

    private static void ReadType(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var typeType = row.GetChar(0);
        var name = row.GetString(1);
        var comment = Text(row, 8);
        var owner = Text(row, 9);
        var key = new SchemaSortKey(TypesSection, name, 0, name);
        switch (typeType)
        {
            case 'e':
                objects.Add(Make(SchemaObjectKind.Enum, name, key, ("owner", owner), ("comment", comment)));
                var labels = row.GetFieldValue<string[]>(6);
                for (var i = 0; i < labels.Length; i++)
                {
                    // The place in the order is told by the neighbour, not the index: adding a value shifts no others.
                    var position = i == 0 ? "first" : "after " + Literal(labels[i - 1]);
                    objects.Add(Make(SchemaObjectKind.EnumValue, $"{name}.{Literal(labels[i])}",
                        new(TypesSection, name, 1, i.ToString("D6", CultureInfo.InvariantCulture)), ("position", position)));
                }

                break;
            case 'd':
                objects.Add(Make(SchemaObjectKind.Domain, name, key,
                    ("type", Text(row, 2)), ("nullable", row.GetBoolean(3) ? "no" : "yes"), ("default", Text(row, 4)),
                    ("collation", Text(row, 5)), ("owner", owner), ("comment", comment)));
                break;
            case 'c':
                objects.Add(Make(SchemaObjectKind.CompositeType, name, key, ("attributes", Text(row, 7)), ("owner", owner), ("comment", comment)));
                break;
            default:
                objects.Add(Make(SchemaObjectKind.RangeType, name, key, ("subtype", Text(row, 2)), ("owner", owner), ("comment", comment)));
                break;
        }
    }

    private static void ReadRelation(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var relationKind = row.GetChar(0);
        var name = row.GetString(1);
        var comment = Text(row, 2);
        switch (relationKind)
        {
            case 'S':
                objects.Add(Make(SchemaObjectKind.Sequence, name, new(SequencesSection, name, 0, name),
                    ("type", Text(row, 11)), ("start", Number(row, 12)), ("increment", Number(row, 13)), ("minimum", Number(row, 14)),
                    ("maximum", Number(row, 15)), ("cache", Number(row, 16)), ("cycle", row.GetBoolean(17) ? "yes" : "no"),
                    ("owned by", Text(row, 18)), ("owner", Text(row, 20)), ("comment", comment)));
                break;
            case 'v' or 'm':
                objects.Add(Make(relationKind == 'v' ? SchemaObjectKind.View : SchemaObjectKind.MaterializedView, name,
                    new(ViewsSection, name, 0, name),
                    ("definition", Text(row, 10)), ("options", Text(row, 6)), ("owner", Text(row, 20)), ("comment", comment)));
                break;
            default:
                var kind = relationKind switch { 'p' => SchemaObjectKind.PartitionedTable, 'f' => SchemaObjectKind.ForeignTable, _ => SchemaObjectKind.Table };
                var security = row.GetBoolean(4) ? (row.GetBoolean(5) ? "enabled, forced" : "enabled") : row.GetBoolean(5) ? "forced" : null;
                var table = Make(kind, name, new(TablesSection, name, 0, name),
                    ("partition key", Text(row, 7)), ("partition of", Text(row, 8)), ("inherits", Text(row, 9)),
                    ("persistence", row.GetChar(3) == 'u' ? "unlogged" : null), ("options", Text(row, 6)),
                    ("row level security", security), ("replica identity", Text(row, 21)), ("owner", Text(row, 20)), ("comment", comment));
                objects.Add(new SchemaObject(table.Kind, table.Name, table.Properties, table.SortKey) { ColumnOrder = Text(row, 19) });
                break;
        }
    }

    private static void ReadColumn(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var table = row.GetString(0);
        var column = row.GetString(1);
        var identity = row.GetString(6) switch { "a" => "always", "d" => "by default", _ => null };
        var generated = Text(row, 5) is { } expression
            ? $"always as ({expression}) {(row.GetString(9) == "v" ? "virtual" : "stored")}"
            : null;
        objects.Add(Make(SchemaObjectKind.Column, $"{table}.{column}", new(TablesSection, table, 1, column),
            ("type", row.GetString(2)), ("nullable", row.GetBoolean(3) ? "no" : "yes"), ("default", Text(row, 4)),
            ("identity", identity), ("identity options", Text(row, 10)), ("generated", generated), ("collation", Text(row, 7)),
            ("statistics target", Text(row, 11)), ("storage", Text(row, 12)), ("compression", Text(row, 13)), ("comment", Text(row, 8))));
    }

    private static void ReadConstraint(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var onTable = row.GetBoolean(1);
        var owner = row.GetString(2);
        var name = $"{owner}.{row.GetString(3)}";
        var properties = new (string, string?)[] { ("definition", Text(row, 4)), ("comment", Text(row, 5)) };
        if (!onTable)
        {
            objects.Add(Make(SchemaObjectKind.DomainConstraint, name, new(TypesSection, owner, 1, name), properties));
            return;
        }

        var (kind, rank) = row.GetChar(0) switch
        {
            'p' => (SchemaObjectKind.PrimaryKey, 2),
            'u' => (SchemaObjectKind.UniqueConstraint, 3),
            'f' => (SchemaObjectKind.ForeignKey, 4),
            'c' => (SchemaObjectKind.CheckConstraint, 5),
            _ => (SchemaObjectKind.ExclusionConstraint, 6),
        };
        objects.Add(Make(kind, name, new(TablesSection, owner, rank, name), properties));
    }

    private static void ReadIndex(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        var owner = row.GetString(1);
        var section = row.GetChar(2) == 'm' ? ViewsSection : TablesSection;
        objects.Add(Make(SchemaObjectKind.Index, name, new(section, owner, 7, name),
            ("definition", Text(row, 3)), ("status", row.GetBoolean(4) ? null : "invalid"), ("comment", Text(row, 5))));
    }

    private static void ReadRoutine(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var kind = row.GetChar(0) switch { 'p' => SchemaObjectKind.Procedure, 'a' => SchemaObjectKind.Aggregate, _ => SchemaObjectKind.Function };
        var name = row.GetString(1);
        objects.Add(Make(kind, name, new(RoutinesSection, name, 0, name), ("definition", Text(row, 2)), ("owner", Text(row, 4)), ("comment", Text(row, 3))));
    }

    private static void ReadTrigger(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var owner = row.GetString(0);
        var section = row.GetChar(1) is 'v' or 'm' ? ViewsSection : TablesSection;
        var name = $"{owner}.{row.GetString(2)}";
        var state = row.GetString(4) switch { "D" => "disabled", "R" => "enabled replica", "A" => "enabled always", _ => null };
        objects.Add(Make(SchemaObjectKind.Trigger, name, new(section, owner, 8, name),
            ("definition", Text(row, 3)), ("state", state), ("comment", Text(row, 5))));
    }

    private static void ReadPolicy(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var owner = row.GetString(0);
        var name = $"{owner}.{row.GetString(1)}";
        var command = row.GetString(2) switch { "r" => "SELECT", "a" => "INSERT", "w" => "UPDATE", "d" => "DELETE", _ => "ALL" };
        objects.Add(Make(SchemaObjectKind.Policy, name, new(TablesSection, owner, 9, name),
            ("command", command), ("mode", row.GetBoolean(3) ? "permissive" : "restrictive"), ("roles", Text(row, 4)),
            ("using", Text(row, 5)), ("with check", Text(row, 6)), ("comment", Text(row, 7))));
    }
}
