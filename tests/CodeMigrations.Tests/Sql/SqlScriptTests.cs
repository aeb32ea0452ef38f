using CodeMigrations.Sql;

namespace CodeMigrations.Tests.Sql;

public sealed class SqlScriptTests
{
    private static string[] Texts(string sql) => SqlScript.Split(sql).Select(s => s.Text).ToArray();

    private static string? Command(string sql) => SqlScript.FindNonTransactional(sql)?.Command;

    // ---- Splitting: the basics ----

    [TestCase("")]
    [TestCase("   \n\t\r\n  ")]
    [TestCase(";")]
    [TestCase(" ; ;\n;; ")]
    public void Empty_input_and_empty_statements_give_no_statements(string sql) =>
        Assert.That(SqlScript.Split(sql), Is.Empty);

    [TestCase("-- only a comment")]
    [TestCase("-- one\n-- two\n")]
    [TestCase("/* block */")]
    [TestCase("/* outer /* nested; */ still; */ -- and a line; \n")]
    [TestCase("-- a;\n;\n/* b; */;")]
    public void Input_of_only_comments_gives_no_statements(string sql) =>
        Assert.That(SqlScript.Split(sql), Is.Empty);

    [Test]
    public void Statements_are_cut_at_semicolons_and_trimmed_without_the_semicolon() =>
        Assert.That(Texts("CREATE TABLE a (id int);\n  INSERT INTO a VALUES (1) ;\n"),
            Is.EqualTo(new[] { "CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)" }));

    [Test]
    public void The_last_statement_needs_no_semicolon() =>
        Assert.That(Texts("SELECT 1;\nSELECT 2\n"), Is.EqualTo(new[] { "SELECT 1", "SELECT 2" }));

    [Test]
    public void A_single_statement_without_a_semicolon_is_returned_whole() =>
        Assert.That(Texts("  UPDATE t SET a = 1  "), Is.EqualTo(new[] { "UPDATE t SET a = 1" }));

    [Test]
    public void Empty_statements_between_semicolons_are_dropped() =>
        Assert.That(Texts(";;SELECT 1;;;SELECT 2;;"), Is.EqualTo(new[] { "SELECT 1", "SELECT 2" }));

    [Test]
    public void Offsets_and_lines_point_at_the_first_character_of_each_statement()
    {
        const string sql = "SELECT 1;\n\n   SELECT 2; SELECT 3;\r\n\tSELECT 4;\rSELECT 5";

        var statements = SqlScript.Split(sql);

        Assert.That(statements.Select(s => (s.Text, s.Offset, s.Line)), Is.EqualTo(new[]
        {
            ("SELECT 1", 0, 1),
            ("SELECT 2", 14, 3),
            ("SELECT 3", 24, 3),
            ("SELECT 4", 36, 4),
            ("SELECT 5", 46, 5),
        }));
        foreach (var statement in statements)
            Assert.That(sql.Substring(statement.Offset, statement.Text.Length), Is.EqualTo(statement.Text));
    }

    [Test]
    public void Lines_count_the_line_breaks_inside_strings_and_comments_of_earlier_statements()
    {
        const string sql = "SELECT 'a\nb';\n/* one\ntwo\r\nthree */\n-- four\nSELECT $$\n$$;\nSELECT 3";

        var statements = SqlScript.Split(sql);

        Assert.That(statements.Select(s => s.Line), Is.EqualTo(new[] { 1, 7, 9 }));
        Assert.That(statements[1].Offset, Is.EqualTo(sql.IndexOf("SELECT $$", StringComparison.Ordinal)));
    }

    [Test]
    public void Comments_before_and_after_a_statement_are_trimmed_and_comments_inside_it_are_kept()
    {
        const string sql = "-- leading; comment\n/* block */ SELECT 1 /* in; side */ + -- line; comment\n 2 -- trailing\n; -- after";

        var statement = SqlScript.Split(sql).Single();

        Assert.That(statement.Text, Is.EqualTo("SELECT 1 /* in; side */ + -- line; comment\n 2"));
        Assert.That(statement.Line, Is.EqualTo(2));
        Assert.That(statement.Offset, Is.EqualTo(sql.IndexOf("SELECT", StringComparison.Ordinal)));
    }

    // ---- Splitting: where a semicolon does not end the statement ----

    [TestCase("SELECT 'a;b'", TestName = "A semicolon inside a single quoted string does not split")]
    [TestCase("SELECT 'it''s; here'", TestName = "A semicolon after a doubled quote in a string does not split")]
    [TestCase("SELECT E'\\'; still'", TestName = "A semicolon after a backslash escaped quote in an E string does not split")]
    [TestCase("SELECT e'\\\\'", TestName = "A lower case e string ending in an escaped backslash is closed")]
    [TestCase("SELECT E'it''s;'", TestName = "A doubled quote in an E string does not end it")]
    [TestCase("SELECT U&'d\\0061t;a'", TestName = "A semicolon inside a U& string does not split")]
    [TestCase("SELECT B'10;' , X'1F;', N'n;'", TestName = "A semicolon inside B X and N strings does not split")]
    [TestCase("SELECT 1 AS \"a;b\"", TestName = "A semicolon inside a double quoted identifier does not split")]
    [TestCase("SELECT 1 AS \"a\"\";b\"", TestName = "A semicolon after a doubled double quote in an identifier does not split")]
    [TestCase("SELECT 1 AS U&\"a;b\"", TestName = "A semicolon inside a U& identifier does not split")]
    [TestCase("SELECT $$a;b$$", TestName = "A semicolon inside a dollar quoted body does not split")]
    [TestCase("SELECT $fn$a; $$; $x$; b$fn$", TestName = "A semicolon inside a tagged dollar quote does not split until the same tag")]
    [TestCase("SELECT $_1$a;b$_1$", TestName = "A dollar quote tag may hold digits after its first character")]
    [TestCase("SELECT 1 -- a; comment\n + 1", TestName = "A semicolon inside a line comment does not split")]
    [TestCase("SELECT 1 /* a; comment */ + 1", TestName = "A semicolon inside a block comment does not split")]
    [TestCase("SELECT 1 /* outer /* inner */ still; comment */ + 1", TestName = "Block comments nest")]
    [TestCase("SELECT 1 /*/ not closed; */ + 1", TestName = "A slash star slash does not close the comment it opens")]
    [TestCase("SELECT 1 +-- a; comment\n 1", TestName = "A double dash right after an operator starts a comment")]
    [TestCase("SELECT 1 */* a; comment */ 1", TestName = "A slash star right after an operator starts a comment")]
    [TestCase("SELECT 'a'\n'; continued'", TestName = "A semicolon inside a string on the line after another string does not split")]
    [TestCase("SELECT count(*) FROM t WHERE a IN (SELECT 1; SELECT 2)", TestName = "A semicolon inside parentheses does not split")]
    [TestCase("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
        TestName = "A semicolon inside a multi action rule does not split")]
    public void A_semicolon_that_psql_does_not_treat_as_a_terminator_stays_in_the_statement(string statement) =>
        Assert.That(Texts(statement + ";\nSELECT 2;"), Is.EqualTo(new[] { statement, "SELECT 2" }));

    [Test]
    public void A_backslash_does_not_escape_a_quote_in_a_standard_string() =>
        Assert.That(Texts(@"SELECT 'C:\'; SELECT 2"), Is.EqualTo(new[] { @"SELECT 'C:\'", "SELECT 2" }));

    [TestCase("SELECT E'a'\n'\\'; SELECT 2", "SELECT E'a'\n'\\'")]
    [TestCase("SELECT E'a'  -- note\n  '\\'; SELECT 2", "SELECT E'a'  -- note\n  '\\'")]
    [TestCase("SELECT E'a' '\\'; SELECT 2", "SELECT E'a' '\\'")]
    public void A_string_after_an_e_string_is_a_standard_string_as_psql_reads_a_file_line_by_line(string sql, string first) =>
        Assert.That(Texts(sql), Is.EqualTo(new[] { first, "SELECT 2" }));

    [TestCase("SELECT $1; SELECT $2", TestName = "A positional parameter is not a dollar quote")]
    [TestCase("SELECT a$$b; SELECT $2", TestName = "A dollar sign inside an identifier is not a dollar quote")]
    [TestCase("SELECT 1abc$$; SELECT $2", TestName = "A dollar sign in an identifier glued to a number is not a dollar quote")]
    [TestCase("SELECT $a; SELECT $2", TestName = "A dollar sign before a word without a closing dollar is not a dollar quote")]
    [TestCase("SELECT $1abc$; SELECT $2", TestName = "A dollar quote tag cannot start with a digit")]
    public void A_dollar_sign_that_does_not_open_a_dollar_quote_does_not_hide_semicolons(string sql) =>
        Assert.That(SqlScript.Split(sql), Has.Count.EqualTo(2));

    [Test]
    public void A_dollar_quote_right_after_a_number_or_parameter_does_open() =>
        Assert.That(Texts("SELECT $1$$;$$, 1$$;$$; SELECT 2"), Is.EqualTo(new[] { "SELECT $1$$;$$, 1$$;$$", "SELECT 2" }));

    [Test]
    public void A_psql_variable_name_ends_before_a_dollar_sign_so_a_dollar_quote_opens_there_as_in_psql() =>
        Assert.That(Texts("SELECT :v$$;$$; SELECT 2"), Is.EqualTo(new[] { "SELECT :v$$;$$", "SELECT 2" }));

    [Test]
    public void A_type_cast_is_not_a_psql_variable() =>
        Assert.That(Texts("SELECT x::int$$; SELECT 2"), Is.EqualTo(new[] { "SELECT x::int$$", "SELECT 2" }));

    [Test]
    public void Dollar_quote_tags_are_case_sensitive() =>
        Assert.That(Texts("SELECT $Tag$ a; $TAG$ b; $Tag$; SELECT 2"), Is.EqualTo(new[] { "SELECT $Tag$ a; $TAG$ b; $Tag$", "SELECT 2" }));

    [Test]
    public void A_letter_prefix_belongs_to_a_longer_identifier_before_a_string() =>
        Assert.That(Texts(@"SELECT rate'\'; SELECT 2"), Is.EqualTo(new[] { @"SELECT rate'\'", "SELECT 2" }));

    [Test]
    public void An_unterminated_quote_runs_to_the_end_of_the_script() =>
        Assert.That(Texts("SELECT 1; SELECT 'oops; SELECT 3;"), Is.EqualTo(new[] { "SELECT 1", "SELECT 'oops; SELECT 3;" }));

    [TestCase("SELECT 1; SELECT 2 /* /* */ ; SELECT 3", "SELECT 2 /* /* */ ; SELECT 3")]
    [TestCase("SELECT 1; /* never closed; SELECT 3", "/* never closed; SELECT 3")]
    public void An_unterminated_block_comment_runs_to_the_end_and_is_kept_for_the_server_to_refuse(string sql, string last) =>
        Assert.That(Texts(sql), Is.EqualTo(new[] { "SELECT 1", last }));

    [Test]
    public void An_unclosed_parenthesis_keeps_the_rest_of_the_script_in_its_statement() =>
        Assert.That(Texts("SELECT (1; SELECT 2;"), Is.EqualTo(new[] { "SELECT (1; SELECT 2;" }));

    [Test]
    public void A_stray_closing_parenthesis_does_not_stop_later_splits() =>
        Assert.That(Texts("SELECT 1); SELECT 2"), Is.EqualTo(new[] { "SELECT 1)", "SELECT 2" }));

    [Test]
    public void Operators_and_psql_variables_pass_through_untouched()
    {
        const string statement = "SELECT a <@ b, c ?| array['x'], d::int, e @> f, g->>'k', h #- '{a}', :name, :'lit', :\"id\", 1..2 FROM t";

        Assert.That(Texts(statement + ";SELECT 2"), Is.EqualTo(new[] { statement, "SELECT 2" }));
    }

    // ---- Splitting: function bodies ----

    [Test]
    public void A_plpgsql_function_with_dollar_and_tagged_bodies_stays_whole()
    {
        const string first = """
            CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                NEW.note := 'a $$ that is not our tag; ' || $q$nested; quote$q$;
                NEW.updated_at := now(); -- done;
                RETURN NEW;
            END;
            $body$
            """;
        const string second = """
            CREATE FUNCTION one() RETURNS int AS $$
                SELECT 1; -- ;
            $$ LANGUAGE sql
            """;

        Assert.That(Texts(first + ";\n" + second + ";\nCREATE TRIGGER t BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();"),
            Is.EqualTo(new[] { first, second, "CREATE TRIGGER t BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()" }));
    }

    [Test]
    public void A_begin_atomic_function_with_a_case_end_inside_stays_whole()
    {
        const string function = """
            CREATE FUNCTION sign_of(x int) RETURNS text LANGUAGE sql
            BEGIN ATOMIC
                SELECT CASE WHEN x > 0 THEN 'positive' WHEN x < 0 THEN 'negative' ELSE 'zero' END;
                SELECT CASE x WHEN 0 THEN 'zero' ELSE CASE WHEN x > 0 THEN '+' ELSE '-' END END;
            END
            """;

        Assert.That(Texts(function + ";\nSELECT sign_of(1);"), Is.EqualTo(new[] { function, "SELECT sign_of(1)" }));
    }

    [TestCase("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END")]
    [TestCase("create or replace procedure p() language sql begin atomic insert into t values (1); end")]
    [TestCase("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END")]
    [TestCase("CREATE /* c */ FUNCTION f(\"end\" int, \"begin\" int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")]
    public void A_begin_atomic_body_in_a_create_function_or_procedure_stays_whole(string statement) =>
        Assert.That(Texts(statement + ";\nSELECT 2;"), Is.EqualTo(new[] { statement, "SELECT 2" }));

    [Test]
    public void A_function_returning_a_case_expression_without_begin_ends_at_its_semicolon() =>
        Assert.That(Texts("CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2"),
            Is.EqualTo(new[] { "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 ELSE 0 END", "SELECT 2" }));

    [Test]
    public void Begin_and_end_outside_a_create_function_do_not_hold_semicolons() =>
        Assert.That(Texts("BEGIN; SELECT CASE WHEN true THEN 1 END; END; SELECT 2"),
            Is.EqualTo(new[] { "BEGIN", "SELECT CASE WHEN true THEN 1 END", "END", "SELECT 2" }));

    [Test]
    public void A_bare_begin_word_in_a_create_function_holds_later_semicolons_as_it_does_in_psql() =>
        Assert.That(Texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN begin; SELECT 2; SELECT 3"),
            Is.EqualTo(new[] { "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN begin; SELECT 2; SELECT 3" }));

    [Test]
    public void A_do_block_is_one_statement() =>
        Assert.That(Texts("DO $$ BEGIN PERFORM 1; IF true THEN PERFORM 2; END IF; END $$;\nSELECT 2;"),
            Is.EqualTo(new[] { "DO $$ BEGIN PERFORM 1; IF true THEN PERFORM 2; END IF; END $$", "SELECT 2" }));

    [Test]
    public void Begin_inside_parentheses_of_a_create_function_is_not_counted() =>
        Assert.That(Texts("CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN $1; SELECT 2"),
            Is.EqualTo(new[] { "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN $1", "SELECT 2" }));

    [Test]
    public void Begin_inside_a_string_or_quoted_identifier_of_a_create_function_is_not_counted() =>
        Assert.That(Texts("CREATE FUNCTION f() RETURNS text LANGUAGE sql RETURN 'begin' || \"begin\"; SELECT 2"),
            Is.EqualTo(new[] { "CREATE FUNCTION f() RETURNS text LANGUAGE sql RETURN 'begin' || \"begin\"", "SELECT 2" }));

    [Test]
    public void Statements_after_a_begin_atomic_function_are_split_normally() =>
        Assert.That(Texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; BEGIN; COMMIT"),
            Is.EqualTo(new[] { "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", "BEGIN", "COMMIT" }));

    // ---- Statements refused inside a transaction block ----

    [TestCase("CREATE INDEX CONCURRENTLY ix ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [TestCase("create unique index concurrently ix on t (a)", "CREATE INDEX CONCURRENTLY")]
    [TestCase("CREATE\n  INDEX\r\n\tCONCURRENTLY IF NOT EXISTS ix ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [TestCase("CREATE /* why */ INDEX -- note\n CONCURRENTLY ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [TestCase("-- leading comment\n/* and another */ CREATE INDEX CONCURRENTLY ix ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [TestCase("DROP INDEX CONCURRENTLY ix", "DROP INDEX CONCURRENTLY")]
    [TestCase("drop index concurrently if exists public.ix", "DROP INDEX CONCURRENTLY")]
    [TestCase("REINDEX INDEX CONCURRENTLY ix", "REINDEX CONCURRENTLY")]
    [TestCase("REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY")]
    [TestCase("REINDEX (VERBOSE) TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY")]
    [TestCase("REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY")]
    [TestCase("REINDEX (VERBOSE, CONCURRENTLY true) INDEX ix", "REINDEX CONCURRENTLY")]
    [TestCase("REINDEX SCHEMA public", "REINDEX SCHEMA")]
    [TestCase("REINDEX SCHEMA CONCURRENTLY public", "REINDEX SCHEMA")]
    [TestCase("REINDEX DATABASE app", "REINDEX DATABASE")]
    [TestCase("reindex (verbose) database", "REINDEX DATABASE")]
    [TestCase("REINDEX SYSTEM", "REINDEX SYSTEM")]
    [TestCase("ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY", "ALTER TABLE ... DETACH CONCURRENTLY")]
    [TestCase("ALTER TABLE IF EXISTS ONLY public.m\n  DETACH PARTITION public.\"M 2020\" CONCURRENTLY", "ALTER TABLE ... DETACH CONCURRENTLY")]
    [TestCase("VACUUM", "VACUUM")]
    [TestCase("VACUUM (ANALYZE, VERBOSE) t", "VACUUM")]
    [TestCase("vacuum full t", "VACUUM")]
    [TestCase("CREATE DATABASE app", "CREATE DATABASE")]
    [TestCase("DROP DATABASE IF EXISTS app WITH (FORCE)", "DROP DATABASE")]
    [TestCase("ALTER DATABASE app SET TABLESPACE fast", "ALTER DATABASE SET TABLESPACE")]
    [TestCase("ALTER DATABASE \"My App\" SET TABLESPACE fast", "ALTER DATABASE SET TABLESPACE")]
    [TestCase("CREATE TABLESPACE fast LOCATION '/ssd'", "CREATE TABLESPACE")]
    [TestCase("DROP TABLESPACE IF EXISTS fast", "DROP TABLESPACE")]
    [TestCase("ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM")]
    [TestCase("ALTER SYSTEM RESET ALL", "ALTER SYSTEM")]
    [TestCase("CLUSTER", "CLUSTER")]
    [TestCase("CLUSTER VERBOSE", "CLUSTER")]
    [TestCase("cluster (verbose)", "CLUSTER")]
    [TestCase("CREATE SUBSCRIPTION s CONNECTION 'host=primary' PUBLICATION p", "CREATE SUBSCRIPTION")]
    [TestCase("DROP SUBSCRIPTION IF EXISTS s", "DROP SUBSCRIPTION")]
    [TestCase("ALTER SUBSCRIPTION s REFRESH PUBLICATION WITH (copy_data = false)", "ALTER SUBSCRIPTION ... REFRESH")]
    [TestCase("ALTER SUBSCRIPTION s SET PUBLICATION p1, p2", "ALTER SUBSCRIPTION with refresh")]
    [TestCase("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = false)", "ALTER SUBSCRIPTION with refresh")]
    [TestCase("ALTER SUBSCRIPTION s DROP PUBLICATION p WITH (refresh = true)", "ALTER SUBSCRIPTION with refresh")]
    [TestCase("DISCARD ALL", "DISCARD ALL")]
    public void A_statement_postgresql_refuses_in_a_transaction_is_found(string sql, string command) =>
        Assert.That(Command(sql), Is.EqualTo(command));

    [TestCase("BEGIN", "BEGIN")]
    [TestCase("begin isolation level serializable", "BEGIN")]
    [TestCase("BEGIN WORK", "BEGIN")]
    [TestCase("START TRANSACTION READ ONLY", "START TRANSACTION")]
    [TestCase("COMMIT", "COMMIT")]
    [TestCase("commit work", "COMMIT")]
    [TestCase("COMMIT AND CHAIN", "COMMIT")]
    [TestCase("END", "END")]
    [TestCase("END TRANSACTION", "END")]
    [TestCase("ROLLBACK", "ROLLBACK")]
    [TestCase("ROLLBACK AND NO CHAIN", "ROLLBACK")]
    [TestCase("ABORT", "ABORT")]
    [TestCase("COMMIT PREPARED 'tx1'", "COMMIT PREPARED")]
    [TestCase("ROLLBACK PREPARED 'tx1'", "ROLLBACK PREPARED")]
    [TestCase("PREPARE TRANSACTION 'tx1'", "PREPARE TRANSACTION")]
    public void Transaction_control_that_would_end_the_migration_transaction_is_found(string sql, string command) =>
        Assert.That(Command(sql), Is.EqualTo(command));

    [TestCase("REFRESH MATERIALIZED VIEW CONCURRENTLY mv")]
    [TestCase("CREATE INDEX ix ON t (a)")]
    [TestCase("CREATE UNIQUE INDEX ix ON t (a)")]
    [TestCase("CREATE INDEX ix ON t (concurrently_flag)")]
    [TestCase("CREATE INDEX concurrently_ix ON t (a)")]
    [TestCase("CREATE INDEX \"concurrently\" ON t (a)")]
    [TestCase("DROP INDEX ix")]
    [TestCase("ALTER TYPE mood ADD VALUE 'meh'")]
    [TestCase("ALTER TABLE m DETACH PARTITION m_2020")]
    [TestCase("ALTER TABLE m DETACH PARTITION m_2020 FINALIZE")]
    [TestCase("ALTER TABLE t ADD COLUMN detach_concurrently boolean")]
    [TestCase("ALTER TABLE m ATTACH PARTITION m_2020 FOR VALUES FROM (1) TO (2)")]
    [TestCase("REINDEX INDEX ix")]
    [TestCase("REINDEX TABLE concurrently_log")]
    [TestCase("REINDEX (VERBOSE) TABLE t")]
    [TestCase("REINDEX (CONCURRENTLY false) TABLE t")]
    [TestCase("REINDEX (CONCURRENTLY off, VERBOSE) INDEX ix")]
    [TestCase("ANALYZE t")]
    [TestCase("CLUSTER t")]
    [TestCase("CLUSTER VERBOSE t USING t_pkey")]
    [TestCase("CLUSTER (VERBOSE) t")]
    [TestCase("CLUSTER t_pkey ON t")]
    [TestCase("ALTER DATABASE app SET work_mem = '64MB'")]
    [TestCase("ALTER DATABASE app SET default_tablespace = fast")]
    [TestCase("ALTER DATABASE app RENAME TO app2")]
    [TestCase("ALTER TABLE t SET TABLESPACE fast")]
    [TestCase("ALTER SUBSCRIPTION s DISABLE")]
    [TestCase("ALTER SUBSCRIPTION s SET (slot_name = NONE)")]
    [TestCase("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)")]
    [TestCase("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = true, refresh = 'off')")]
    [TestCase("CREATE PUBLICATION p FOR ALL TABLES")]
    [TestCase("DISCARD TEMP")]
    [TestCase("SAVEPOINT before_backfill")]
    [TestCase("RELEASE SAVEPOINT before_backfill")]
    [TestCase("ROLLBACK TO SAVEPOINT before_backfill")]
    [TestCase("ROLLBACK TO before_backfill")]
    [TestCase("ROLLBACK WORK TO SAVEPOINT before_backfill")]
    [TestCase("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")]
    [TestCase("PREPARE q AS SELECT 1")]
    [TestCase("CREATE TABLE vacuum_log (id int, commit_at timestamptz, \"end\" int)")]
    [TestCase("SELECT 'CREATE INDEX CONCURRENTLY ix ON t (a)'")]
    [TestCase("SELECT 1 AS \"VACUUM\"")]
    [TestCase("-- CREATE INDEX CONCURRENTLY ix ON t (a)\nCREATE INDEX ix ON t (a)")]
    [TestCase("/* VACUUM; COMMIT; */ SELECT 1")]
    [TestCase("DO $$ BEGIN PERFORM 1; END $$")]
    [TestCase("DO $$ BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY ix ON t (a)'; COMMIT; END $$")]
    [TestCase("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")]
    [TestCase("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END")]
    [TestCase("SELECT CASE WHEN true THEN 1 END")]
    [TestCase("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN VACUUM; COMMIT; END $$")]
    [TestCase("")]
    [TestCase("-- COMMIT")]
    public void A_statement_postgresql_accepts_in_a_transaction_is_not_reported(string sql) =>
        Assert.That(SqlScript.FindNonTransactional(sql), Is.Null);

    [Test]
    public void The_first_refused_statement_of_a_script_is_reported_with_its_place()
    {
        const string sql = """
            CREATE TABLE t (a int);
            -- the index is built without locking writes
            CREATE INDEX CONCURRENTLY t_a ON t (a);
            VACUUM t;
            """;

        var refused = SqlScript.FindNonTransactional(sql);

        Assert.That(refused, Is.Not.Null);
        Assert.That(refused!.Command, Is.EqualTo("CREATE INDEX CONCURRENTLY"));
        Assert.That(refused.Statement, Is.EqualTo(new SqlStatement("CREATE INDEX CONCURRENTLY t_a ON t (a)", sql.IndexOf("CREATE INDEX", StringComparison.Ordinal), 3)));
    }

    [Test]
    public void A_refused_statement_after_a_begin_atomic_function_is_found_and_the_function_is_not()
    {
        const string sql = """
            CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
                SELECT CASE WHEN x > 0 THEN 1 END;
            END;
            COMMIT;
            """;

        var refused = SqlScript.FindNonTransactional(sql);

        Assert.That(refused?.Command, Is.EqualTo("COMMIT"));
        Assert.That(refused?.Statement.Line, Is.EqualTo(5));
    }

    [Test]
    public void A_script_of_transactional_statements_has_no_refused_statement() =>
        Assert.That(SqlScript.FindNonTransactional("""
            CREATE TABLE t (a int, concurrently_flag boolean);
            CREATE INDEX t_a ON t (a); -- CREATE INDEX CONCURRENTLY would need UseTransaction = false
            ALTER TYPE mood ADD VALUE 'meh';
            REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
            DO $$ BEGIN RAISE NOTICE 'COMMIT;'; END $$;
            """), Is.Null);
}
