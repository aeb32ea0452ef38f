using System.Globalization;
using System.Text;
using CodeMigrations.History;
using CodeMigrations.Sql;

namespace CodeMigrations.Execution;

/// <summary>
/// Renders prepared migrations as a psql script: the same statements, transaction boundaries, timeouts and history rows
/// the runner would use, for a DBA to review or run with <c>psql -v ON_ERROR_STOP=1 -f</c>.
/// </summary>
internal sealed class MigrationScriptWriter(MigrationHistory history, CodeMigrationsOptions options, string target)
{
    public MigrationScript Write(IReadOnlyList<PreparedMigration> migrations, MigrationDirection direction, bool idempotent)
    {
        var sql = new StringBuilder();
        var unscriptable = new List<string>();
        sql.AppendLine(CultureInfo.InvariantCulture, $"-- CodeMigrations {(direction == MigrationDirection.Up ? "up" : "down")} script for {target}, {migrations.Count} migration{(migrations.Count == 1 ? "" : "s")}, written {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC.");
        sql.AppendLine("-- Run it with: psql -v ON_ERROR_STOP=1 -f <this file>");
        if (idempotent)
            sql.AppendLine("-- Idempotent: each migration runs only if the history table says it is still to do (psql \\if), so running it twice is safe.");
        sql.AppendLine("\\set ON_ERROR_STOP on");
        sql.AppendLine();
        if (direction == MigrationDirection.Up)
            sql.AppendLine(history.CreateTableSql(includeSchema: true)).AppendLine();

        foreach (var migration in migrations)
            WriteMigration(sql, migration, direction, idempotent, unscriptable);

        if (migrations.Count == 0)
            sql.AppendLine("-- Nothing to do.");
        return new MigrationScript(sql.ToString(), migrations.Select(m => m.Info).ToList(), unscriptable);
    }

    private void WriteMigration(StringBuilder sql, PreparedMigration migration, MigrationDirection direction, bool idempotent, List<string> unscriptable)
    {
        var info = migration.Info;
        var transactional = info.UseTransaction;
        sql.AppendLine(CultureInfo.InvariantCulture, $"-- {info} ({info.Name}){(transactional ? "" : ": runs without a transaction, one statement at a time")}");
        if (idempotent)
        {
            var condition = direction == MigrationDirection.Up ? "NOT EXISTS" : "EXISTS";
            sql.AppendLine(CultureInfo.InvariantCulture, $"SELECT {condition} (SELECT 1 FROM {history.QualifiedName} WHERE version = {info.Version}) AS codemigrations_todo \\gset");
            sql.AppendLine("\\if :codemigrations_todo");
        }

        var timeouts = MigrationTimeouts.For(info, options);
        if (transactional)
            sql.AppendLine("BEGIN;");
        foreach (var setting in timeouts.SetStatements(local: transactional))
            sql.Append(setting).AppendLine(";");
        if (!transactional && direction == MigrationDirection.Up)
            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {history.QualifiedName} (version, name, class_name, checksum, state) VALUES ({info.Version}, {Literal(info.Name)}, {Literal(info.TypeFullName)}, {Literal(migration.Checksum)}, 'up_incomplete');");
        else if (!transactional)
            sql.AppendLine(CultureInfo.InvariantCulture, $"UPDATE {history.QualifiedName} SET state = 'down_incomplete' WHERE version = {info.Version};");

        for (var i = 0; i < migration.Steps.Count; i++)
        {
            switch (migration.Steps[i])
            {
                case SqlStep { Parameters: null } step:
                    foreach (var statement in SqlScript.Split(step.Sql))
                        sql.Append(statement.Text).AppendLine(";");
                    break;
                default:
                    var what = migration.Steps[i] is CodeStep ? "runs .NET code" : "has Dapper parameters";
                    var note = $"{info} step {i + 1} ({migration.Steps[i].Describe()}) {what} and cannot be scripted";
                    unscriptable.Add(note);
                    sql.AppendLine(CultureInfo.InvariantCulture, $"-- NOT SCRIPTED: {note}; apply this migration with 'up' instead.");
                    break;
            }
        }

        if (transactional)
        {
            sql.AppendLine(direction == MigrationDirection.Up
                ? $"INSERT INTO {history.QualifiedName} (version, name, class_name, applied_at, execution_ms, checksum, state) VALUES ({info.Version}, {Literal(info.Name)}, {Literal(info.TypeFullName)}, now(), round(extract(epoch FROM clock_timestamp() - now()) * 1000), {Literal(migration.Checksum)}, 'applied');"
                : $"DELETE FROM {history.QualifiedName} WHERE version = {info.Version};");
            sql.AppendLine("COMMIT;");
        }
        else
        {
            foreach (var reset in MigrationTimeouts.ResetStatements())
                sql.Append(reset).AppendLine(";");
            sql.AppendLine(direction == MigrationDirection.Up
                ? $"UPDATE {history.QualifiedName} SET state = 'applied' WHERE version = {info.Version};"
                : $"DELETE FROM {history.QualifiedName} WHERE version = {info.Version};");
        }

        if (idempotent)
            sql.AppendLine("\\endif");
        sql.AppendLine();
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
