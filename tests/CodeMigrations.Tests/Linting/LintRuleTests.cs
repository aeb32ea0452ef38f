using CodeMigrations.Linting;

namespace CodeMigrations.Tests.Linting;

/// <summary>
/// One pair per rule: the statement flagged on a table an earlier migration created (a live table), and the safe
/// variant left alone. Pure: lint reads text only.
/// </summary>
public sealed class LintRuleTests
{
    private const string Existing =
        "CREATE TABLE accounts (id bigint PRIMARY KEY, email varchar(20), amount numeric(10, 2), name text, parent_id bigint, note text);" +
        "CREATE TABLE parents (id bigint PRIMARY KEY);" +
        "CREATE INDEX accounts_email ON accounts (email);";

    /// <summary>The rule ids flagged in a migration that runs after one creating the tables (and index) above.</summary>
    internal static string[] Flagged(params string[] later)
    {
        var migrations = new List<MigrationLintInput> { new(1, "CreateAccounts", [Existing], []) };
        for (var i = 0; i < later.Length; i++)
            migrations.Add(new MigrationLintInput(i + 2, $"Later{i + 2}", [later[i]], []));
        var report = MigrationLinter.Lint(migrations);
        Assert.That(report.Findings.Where(f => f.Version == 1), Is.Empty, "creating tables and indexes on them is safe");
        return [.. report.Findings.Select(f => f.Rule.Id)];
    }

    [TestCase("ALTER TABLE accounts ADD COLUMN age int NOT NULL", "adding-not-null-column-without-default")]
    [TestCase("ALTER TABLE accounts ADD COLUMN created timestamptz DEFAULT clock_timestamp()", "adding-volatile-default")]
    [TestCase("ALTER TABLE accounts ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()", "adding-volatile-default")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email TYPE varchar(10)", "changing-column-type")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN parent_id TYPE int", "changing-column-type")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12, 4)", "changing-column-type")]
    [TestCase("ALTER TABLE accounts ALTER email TYPE varchar(50) USING lower(email)", "changing-column-type")]
    [TestCase("CREATE INDEX accounts_name ON accounts (name)", "create-index-non-concurrently")]
    [TestCase("CREATE UNIQUE INDEX IF NOT EXISTS accounts_name ON public.accounts USING btree (name)", "create-index-non-concurrently")]
    [TestCase("DROP INDEX accounts_email", "drop-index-non-concurrently")]
    [TestCase("REINDEX INDEX accounts_email", "reindex-non-concurrently")]
    [TestCase("REINDEX (VERBOSE) TABLE accounts", "reindex-non-concurrently")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT accounts_parent FOREIGN KEY (parent_id) REFERENCES parents (id)", "adding-foreign-key-without-not-valid")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT positive CHECK (amount > 0)", "adding-check-without-not-valid")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email SET NOT NULL", "setting-not-null")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email)", "adding-unique-without-index")]
    [TestCase("ALTER TABLE parents DROP CONSTRAINT parents_pkey, ADD PRIMARY KEY (id)", "adding-primary-key-without-index")]
    [TestCase("ALTER TABLE accounts RENAME COLUMN note TO remark", "renaming-column")]
    [TestCase("ALTER TABLE accounts RENAME note TO remark", "renaming-column")]
    [TestCase("ALTER TABLE accounts RENAME TO customers", "renaming-table")]
    [TestCase("ALTER TABLE accounts DROP COLUMN note", "dropping-column")]
    [TestCase("ALTER TABLE IF EXISTS ONLY accounts DROP note", "dropping-column")]
    [TestCase("DROP TABLE parents", "dropping-table")]
    [TestCase("VACUUM FULL accounts", "vacuum-full")]
    [TestCase("VACUUM (FULL, ANALYZE) accounts", "vacuum-full")]
    [TestCase("CLUSTER accounts USING accounts_email", "cluster")]
    [TestCase("UPDATE accounts SET note = 'x'", "update-without-where")]
    [TestCase("UPDATE accounts SET note = (SELECT name FROM parents WHERE parents.id = accounts.parent_id)", "update-without-where")]
    [TestCase("DELETE FROM accounts", "delete-without-where")]
    [TestCase("ALTER TABLE accounts ADD COLUMN number bigserial", "adding-serial-or-identity-column")]
    [TestCase("ALTER TABLE accounts ADD COLUMN number bigint GENERATED ALWAYS AS IDENTITY", "adding-serial-or-identity-column")]
    public void An_unsafe_statement_on_an_existing_table_is_flagged(string sql, string rule) =>
        Assert.That(Flagged(sql), Is.EqualTo(new[] { rule }));

    [TestCase("ALTER TABLE accounts ADD COLUMN age int NOT NULL DEFAULT 0")]
    [TestCase("ALTER TABLE accounts ADD COLUMN age int")]
    [TestCase("ALTER TABLE accounts ADD COLUMN created timestamptz NOT NULL DEFAULT now()")]
    [TestCase("ALTER TABLE accounts ADD COLUMN tags jsonb DEFAULT '{}'::jsonb")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email TYPE varchar(50)")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email TYPE character varying(20)")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email SET DATA TYPE text")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN email TYPE varchar")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(14, 2)")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN amount TYPE numeric")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN name TYPE varchar")]
    [TestCase("CREATE INDEX CONCURRENTLY accounts_name ON accounts (name)")]
    [TestCase("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_name ON accounts (name)")]
    [TestCase("DROP INDEX CONCURRENTLY accounts_email")]
    [TestCase("DROP INDEX CONCURRENTLY IF EXISTS accounts_email")]
    [TestCase("REINDEX INDEX CONCURRENTLY accounts_email")]
    [TestCase("REINDEX (CONCURRENTLY) TABLE accounts")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT accounts_parent FOREIGN KEY (parent_id) REFERENCES parents (id) NOT VALID")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT positive CHECK (amount > 0) NOT VALID")]
    [TestCase("ALTER TABLE accounts VALIDATE CONSTRAINT positive")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email")]
    [TestCase("ALTER TABLE accounts ADD CONSTRAINT accounts_pk PRIMARY KEY USING INDEX accounts_email")]
    [TestCase("ALTER TABLE accounts RENAME CONSTRAINT positive TO non_negative")]
    [TestCase("ALTER TABLE accounts DROP CONSTRAINT positive")]
    [TestCase("ALTER TABLE accounts ALTER COLUMN note SET DEFAULT 'none', ALTER COLUMN note DROP NOT NULL")]
    [TestCase("VACUUM accounts")]
    [TestCase("VACUUM (FULL false) accounts")]
    [TestCase("UPDATE accounts SET note = 'x' WHERE id BETWEEN 1 AND 1000")]
    [TestCase("DELETE FROM accounts WHERE note IS NULL")]
    [TestCase("CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id))")]
    [TestCase("SELECT 'ALTER TABLE accounts DROP COLUMN note'; -- DROP TABLE accounts")]
    public void The_safe_variant_is_not_flagged(string sql) =>
        Assert.That(Flagged(sql), Is.Empty);

    [Test]
    public void Anything_on_a_table_created_in_the_same_migration_is_safe() =>
        Assert.That(Flagged("""
            CREATE TABLE invoices (id bigint, total numeric(10, 2), note text);
            ALTER TABLE invoices ADD COLUMN number bigserial, ADD COLUMN due date NOT NULL, ADD COLUMN token uuid DEFAULT gen_random_uuid();
            ALTER TABLE invoices ALTER COLUMN total TYPE bigint, ALTER COLUMN note SET NOT NULL;
            ALTER TABLE invoices ADD CONSTRAINT invoices_account FOREIGN KEY (id) REFERENCES accounts (id);
            ALTER TABLE invoices ADD CHECK (total > 0), ADD PRIMARY KEY (id), ADD UNIQUE (number);
            CREATE INDEX invoices_due ON invoices (due);
            DROP INDEX invoices_due;
            REINDEX TABLE invoices;
            UPDATE invoices SET note = '';
            DELETE FROM invoices;
            VACUUM FULL invoices;
            ALTER TABLE invoices RENAME COLUMN note TO remark;
            ALTER TABLE invoices DROP COLUMN remark;
            ALTER TABLE invoices RENAME TO bills;
            ALTER TABLE bills ADD COLUMN paid boolean NOT NULL;
            DROP TABLE bills;
            """), Is.Empty);

    [Test]
    public void A_table_created_in_an_earlier_migration_is_live_again() =>
        Assert.That(Flagged("CREATE TABLE invoices (id bigint)", "CREATE INDEX invoices_id ON invoices (id)"),
            Is.EqualTo(new[] { "create-index-non-concurrently" }));

    [Test]
    public void Not_valid_then_validate_in_a_later_migration_is_safe() =>
        Assert.That(Flagged(
            "ALTER TABLE accounts ADD CONSTRAINT accounts_parent FOREIGN KEY (parent_id) REFERENCES parents (id) NOT VALID",
            "ALTER TABLE accounts VALIDATE CONSTRAINT accounts_parent"), Is.Empty);

    [Test]
    public void Set_not_null_after_a_validated_not_null_check_is_safe() =>
        Assert.That(Flagged(
            "ALTER TABLE accounts ADD CONSTRAINT email_not_null CHECK (email IS NOT NULL) NOT VALID",
            "ALTER TABLE accounts VALIDATE CONSTRAINT email_not_null",
            "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL; ALTER TABLE accounts DROP CONSTRAINT email_not_null"), Is.Empty);

    [Test]
    public void Set_not_null_after_a_check_that_was_never_validated_is_flagged() =>
        Assert.That(Flagged(
            "ALTER TABLE accounts ADD CONSTRAINT email_not_null CHECK (email IS NOT NULL) NOT VALID",
            "ALTER TABLE accounts ALTER COLUMN email SET NOT NULL"), Is.EqualTo(new[] { "setting-not-null" }));

    [Test]
    public void A_type_change_from_a_type_the_migrations_do_not_declare_is_flagged() =>
        Assert.That(Flagged("ALTER TABLE legacy ALTER COLUMN code TYPE text"), Is.EqualTo(new[] { "changing-column-type" }));

    [Test]
    public void Each_action_of_an_alter_table_is_checked() =>
        Assert.That(Flagged("ALTER TABLE accounts ADD COLUMN a int NOT NULL, DROP COLUMN note, ALTER COLUMN name SET NOT NULL"),
            Is.EqualTo(new[] { "adding-not-null-column-without-default", "dropping-column", "setting-not-null" }));

    [Test]
    public void Every_rule_has_a_test_that_flags_it()
    {
        var tested = typeof(LintRuleTests).GetMethod(nameof(An_unsafe_statement_on_an_existing_table_is_flagged))!
            .GetCustomAttributes(typeof(TestCaseAttribute), false).Cast<TestCaseAttribute>()
            .Select(t => (string)t.Arguments[1]!).ToHashSet();
        Assert.That(LintRules.All.Select(r => r.Id), Is.SubsetOf(tested));
    }
}
