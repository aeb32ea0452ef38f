using Npgsql;

namespace CodeMigrations.Schema;

/// <summary>
/// The objects beyond tables, types and routines: privileges and default privileges, extended statistics, rules,
/// collations, casts, operators, text search objects, publications, event triggers, foreign servers, foreign data
/// wrappers, user mappings, operator families and classes. Read in the same batch as the rest (one round trip).
/// </summary>
internal static partial class SchemaCatalogReader
{
    private const int PrivilegesSection = 7;
    private const int OthersSection = 8;

    private const string Grantee = "CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END";

    private const string Privilege = "x.privilege_type || CASE WHEN x.is_grantable THEN ' with grant option' ELSE '' END";

    private static readonly string[] MoreQueries =
    [
        // privileges beyond each object's defaults (granted) and defaults taken away (revoked); NULL and an explicit
        // default list are the same; a schema's default is what initdb gave it (public: USAGE to PUBLIC)
        $"""
        WITH objects(kind, name, acl, defaults) AS (
            SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
                   {Qualified("n.nspname", "c.relname")}, c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND c.relacl IS NOT NULL
              AND {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL) AND {NotMember("pg_class", "c.oid")}
            UNION ALL
            SELECT 'column', {Qualified("n.nspname", "c.relname")} || '.' || quote_ident(a.attname), a.attacl, NULL::aclitem[]
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
              AND {UserNamespace} AND c.oid NOT IN (SELECT to_regclass(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL) AND {NotMember("pg_class", "c.oid")}
            UNION ALL
            SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
                   {Qualified("n.nspname", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proacl, acldefault('f', p.proowner)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proacl IS NOT NULL AND {UserNamespace} AND {NotMember("pg_proc", "p.oid")}
            UNION ALL
            SELECT 'schema', quote_ident(n.nspname), n.nspacl, coalesce((
                       SELECT i.initprivs FROM pg_init_privs i WHERE i.objoid = n.oid AND i.classoid = 'pg_namespace'::regclass AND i.objsubid = 0),
                       acldefault('n', n.nspowner))
            FROM pg_namespace n WHERE n.nspacl IS NOT NULL AND {UserNamespace} AND {NotMember("pg_namespace", "n.oid")}
            UNION ALL
            SELECT 'type', {Qualified("n.nspname", "t.typname")}, t.typacl, acldefault('T', t.typowner)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typacl IS NOT NULL AND {UserNamespace} AND {NotMember("pg_type", "t.oid")}
        )
        SELECT o.kind || ' ' || o.name || ' to ' || g.grantee, g.granted, g.revoked
        FROM objects o
        CROSS JOIN LATERAL (
            SELECT grantee, string_agg(privilege, ', ' ORDER BY privilege) FILTER (WHERE granted) AS granted,
                   string_agg(privilege, ', ' ORDER BY privilege) FILTER (WHERE NOT granted) AS revoked
            FROM (
                SELECT {Grantee} AS grantee, {Privilege} AS privilege, true AS granted
                FROM (SELECT * FROM aclexplode(o.acl) EXCEPT SELECT * FROM aclexplode(o.defaults)) x
                UNION ALL
                SELECT {Grantee}, {Privilege}, false
                FROM (SELECT * FROM aclexplode(o.defaults) EXCEPT SELECT * FROM aclexplode(o.acl)) x
            ) e
            GROUP BY grantee
        ) g
        """,

        // default privileges
        $"""
        SELECT 'for ' || quote_ident(pg_get_userbyid(d.defaclrole)) || coalesce(' in schema ' || quote_ident(n.nspname), '') || ' on ' ||
               CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END,
               (SELECT string_agg({Grantee} || ': ' || {Privilege}, ', ' ORDER BY {Grantee}, {Privilege}) FROM aclexplode(d.defaclacl) x)
        FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
        """,

        // extended statistics
        $"""
        SELECT {Qualified("n.nspname", "s.stxname")}, pg_get_statisticsobjdef(s.oid), nullif(s.stxstattarget, -1)::text, {Comment("s.oid", "pg_statistic_ext")}
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
        WHERE {UserNamespace} AND {NotMember("pg_statistic_ext", "s.oid")}
        """,

        // rules (not the ones behind views)
        $"""
        SELECT {Qualified("n.nspname", "c.relname")}, quote_ident(r.rulename), pg_get_ruledef(r.oid), r.ev_enabled::text, {Comment("r.oid", "pg_rewrite")}
        FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE r.rulename <> '_RETURN' AND {UserNamespace} AND {NotMember("pg_class", "c.oid")}
        """,

        // collations, casts, operators, text search configurations and dictionaries, publications, event triggers,
        // foreign servers, foreign data wrappers, user mappings (the names of their options, never the values: a
        // password is one), operator families and classes: kind, name, definition
        $"""
        SELECT 'l', {Qualified("n.nspname", "co.collname")},
               concat_ws(' ', 'provider ' || co.collprovider::text, 'lc_collate ' || quote_literal(co.collcollate), 'lc_ctype ' || quote_literal(co.collctype),
                         CASE WHEN NOT co.collisdeterministic THEN 'nondeterministic' END)
        FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
        WHERE {UserNamespace} AND {NotMember("pg_collation", "co.oid")}
        UNION ALL
        SELECT 'c', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL),
               CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::regprocedure::text WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END
               || CASE c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END
        FROM pg_cast c WHERE c.oid >= 16384 AND {NotMember("pg_cast", "c.oid")}
        UNION ALL
        SELECT 'o', CASE WHEN n.nspname = 'public' THEN '' ELSE quote_ident(n.nspname) || '.' END || o.oprname
                    || '(' || format_type(nullif(o.oprleft, 0), NULL) || ', ' || format_type(nullif(o.oprright, 0), NULL) || ')',
               concat_ws(' ', 'FUNCTION ' || o.oprcode::regprocedure::text, 'RETURNS ' || format_type(o.oprresult, NULL),
                         'COMMUTATOR ' || nullif(o.oprcom, 0)::regoperator::text, 'NEGATOR ' || nullif(o.oprnegate, 0)::regoperator::text,
                         'RESTRICT ' || nullif(o.oprrest, 0)::regproc::text, 'JOIN ' || nullif(o.oprjoin, 0)::regproc::text,
                         CASE WHEN o.oprcanhash THEN 'HASHES' END, CASE WHEN o.oprcanmerge THEN 'MERGES' END)
        FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
        WHERE {UserNamespace} AND {NotMember("pg_operator", "o.oid")}
        UNION ALL
        SELECT 'f', {Qualified("n.nspname", "c.cfgname")},
               'PARSER ' || (SELECT {Qualified("pn.nspname", "p.prsname")} FROM pg_ts_parser p JOIN pg_namespace pn ON pn.oid = p.prsnamespace WHERE p.oid = c.cfgparser)
               || coalesce(' MAPPING ' || (SELECT string_agg(m.maptokentype || ' ' || m.mapdict::regdictionary::text, ', ' ORDER BY m.maptokentype, m.mapseqno)
                                           FROM pg_ts_config_map m WHERE m.mapcfg = c.oid), '')
        FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE {UserNamespace} AND {NotMember("pg_ts_config", "c.oid")}
        UNION ALL
        SELECT 'd', {Qualified("n.nspname", "d.dictname")},
               'TEMPLATE ' || (SELECT {Qualified("tn.nspname", "t.tmplname")} FROM pg_ts_template t JOIN pg_namespace tn ON tn.oid = t.tmplnamespace WHERE t.oid = d.dicttemplate)
               || coalesce(' OPTIONS ' || d.dictinitoption, '')
        FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
        WHERE {UserNamespace} AND {NotMember("pg_ts_dict", "d.oid")}
        UNION ALL
        SELECT 'p', quote_ident(p.pubname),
               concat_ws(' ', CASE WHEN p.puballtables THEN 'FOR ALL TABLES' ELSE 'FOR TABLE ' || coalesce((
                   SELECT string_agg(CASE WHEN t.schemaname = 'public' THEN '' ELSE quote_ident(t.schemaname) || '.' END || quote_ident(t.tablename), ', '
                                     ORDER BY t.schemaname, t.tablename)
                   FROM pg_publication_tables t WHERE t.pubname = p.pubname), '') END,
                   'PUBLISH ' || concat_ws(', ', CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
                                           CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END),
                   CASE WHEN p.pubviaroot THEN 'VIA ROOT' END)
        FROM pg_publication p
        UNION ALL
        SELECT 'e', quote_ident(e.evtname),
               concat_ws(' ', 'ON ' || e.evtevent, 'WHEN TAG IN ' || array_to_string(e.evttags, ', '), 'EXECUTE FUNCTION ' || e.evtfoid::regprocedure::text,
                         CASE e.evtenabled WHEN 'D' THEN 'DISABLED' WHEN 'R' THEN 'ENABLE REPLICA' WHEN 'A' THEN 'ENABLE ALWAYS' END)
        FROM pg_event_trigger e WHERE {NotMember("pg_event_trigger", "e.oid")}
        UNION ALL
        SELECT 's', quote_ident(s.srvname),
               concat_ws(' ', 'TYPE ' || quote_literal(s.srvtype), 'VERSION ' || quote_literal(s.srvversion),
                         'FOREIGN DATA WRAPPER ' || (SELECT quote_ident(w.fdwname) FROM pg_foreign_data_wrapper w WHERE w.oid = s.srvfdw),
                         'OPTIONS ' || array_to_string(s.srvoptions, ', '), 'OWNER ' || quote_ident(pg_get_userbyid(s.srvowner)))
        FROM pg_foreign_server s WHERE {NotMember("pg_foreign_server", "s.oid")}
        UNION ALL
        SELECT 'w', quote_ident(w.fdwname),
               concat_ws(' ', 'HANDLER ' || nullif(w.fdwhandler, 0)::regprocedure::text, 'VALIDATOR ' || nullif(w.fdwvalidator, 0)::regprocedure::text,
                         'OPTIONS ' || array_to_string(w.fdwoptions, ', '), 'OWNER ' || quote_ident(pg_get_userbyid(w.fdwowner)))
        FROM pg_foreign_data_wrapper w WHERE {NotMember("pg_foreign_data_wrapper", "w.oid")}
        UNION ALL
        SELECT 'u', CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(m.usename) END || ' server ' || quote_ident(m.srvname),
               'OPTIONS ' || (SELECT string_agg(split_part(o, '=', 1), ', ' ORDER BY split_part(o, '=', 1)) FROM unnest(m.umoptions) o)
        FROM pg_user_mappings m
        UNION ALL
        SELECT 'F', {Qualified("n.nspname", "f.opfname")} || ' USING ' || quote_ident(am.amname),
               concat_ws(', ',
                   (SELECT string_agg('OPERATOR ' || o.amopstrategy || ' ' || o.amopopr::regoperator::text
                                      || CASE WHEN o.amoppurpose = 's' THEN ' FOR ORDER BY ' || (
                                          SELECT {Qualified("sn.nspname", "sf.opfname")} FROM pg_opfamily sf JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
                                          WHERE sf.oid = o.amopsortfamily) ELSE '' END,
                                      ', ' ORDER BY o.amopstrategy, o.amopopr::regoperator::text)
                    FROM pg_amop o WHERE o.amopfamily = f.oid),
                   (SELECT string_agg('FUNCTION ' || p.amprocnum || ' (' || format_type(p.amproclefttype, NULL) || ', ' || format_type(p.amprocrighttype, NULL)
                                      || ') ' || p.amproc::regprocedure::text, ', ' ORDER BY p.amprocnum, p.amproc::regprocedure::text)
                    FROM pg_amproc p WHERE p.amprocfamily = f.oid))
        FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
        WHERE {UserNamespace} AND {NotMember("pg_opfamily", "f.oid")}
        UNION ALL
        SELECT 'C', {Qualified("n.nspname", "c.opcname")} || ' USING ' || quote_ident(am.amname),
               concat_ws(' ', CASE WHEN c.opcdefault THEN 'DEFAULT' END, 'FOR TYPE ' || format_type(c.opcintype, NULL),
                         'FAMILY ' || (SELECT {Qualified("fn.nspname", "f.opfname")} FROM pg_opfamily f JOIN pg_namespace fn ON fn.oid = f.opfnamespace
                                       WHERE f.oid = c.opcfamily),
                         'STORAGE ' || format_type(nullif(c.opckeytype, 0), NULL))
        FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod
        WHERE {UserNamespace} AND {NotMember("pg_opclass", "c.oid")}
        """,
    ];

    private static readonly Action<NpgsqlDataReader, List<SchemaObject>>[] MoreReaders =
    [
        ReadPrivilege, ReadDefaultPrivileges, ReadStatistics, ReadRule, ReadOther,
    ];

    private static void ReadPrivilege(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        objects.Add(Make(SchemaObjectKind.Privilege, name, new(PrivilegesSection, name, 0, name), ("granted", Text(row, 1)), ("revoked", Text(row, 2))));
    }

    private static void ReadDefaultPrivileges(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        objects.Add(Make(SchemaObjectKind.DefaultPrivileges, name, new(PrivilegesSection, name, 1, name), ("privileges", Text(row, 1) ?? "none")));
    }

    private static void ReadStatistics(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var name = row.GetString(0);
        objects.Add(Make(SchemaObjectKind.Statistics, name, new(OthersSection, name, 0, name),
            ("definition", Text(row, 1)), ("statistics target", Text(row, 2)), ("comment", Text(row, 3))));
    }

    private static void ReadRule(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var owner = row.GetString(0);
        var name = $"{owner}.{row.GetString(1)}";
        var state = row.GetString(3) switch { "D" => "disabled", "R" => "enabled replica", "A" => "enabled always", _ => null };
        objects.Add(Make(SchemaObjectKind.Rule, name, new(TablesSection, owner, 10, name),
            ("definition", Text(row, 2)), ("state", state), ("comment", Text(row, 4))));
    }

    private static void ReadOther(NpgsqlDataReader row, List<SchemaObject> objects)
    {
        var kind = row.GetChar(0) switch
        {
            'l' => SchemaObjectKind.Collation,
            'c' => SchemaObjectKind.Cast,
            'o' => SchemaObjectKind.Operator,
            'f' => SchemaObjectKind.TextSearchConfiguration,
            'd' => SchemaObjectKind.TextSearchDictionary,
            'p' => SchemaObjectKind.Publication,
            'e' => SchemaObjectKind.EventTrigger,
            'w' => SchemaObjectKind.ForeignDataWrapper,
            'u' => SchemaObjectKind.UserMapping,
            'F' => SchemaObjectKind.OperatorFamily,
            'C' => SchemaObjectKind.OperatorClass,
            _ => SchemaObjectKind.ForeignServer,
        };
        var name = row.GetString(1);
        objects.Add(Make(kind, name, new(OthersSection, name, (int)kind, name), ("definition", Text(row, 2))));
    }
}
