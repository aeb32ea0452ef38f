using System.Globalization;
using System.Text;
using CodeMigrations.History;
using CodeMigrations.Sql;

namespace CodeMigrations.Execution;

/// <summary>
/// Renders prepared migrations as a psql script: the same statements, transaction boundaries, timeouts and history rows
/// the runner would use, for a DBA to review or run with <c>psql -v ON_ERROR_STOP=1 -f</c>. Every statement on the
/// history table is <see cref="MigrationHistory"/>'s, rendered with literals: a script records what a run records.
/// </summary>
internal static class MigrationScriptWriter
{
    public static MigrationScript Write(MigrationHistory history, CodeMigrationsOptions options, string target,
        IReadOnlyList<PreparedMigration> migrations, MigrationDirection direction, bool idempotent)
    {
        var sql = new StringBuilder();
        var unscriptable = new List<string>();
        sql.AppendLine(CultureInfo.InvariantCulture, $"-- CodeMigrations {(direction == MigrationDirection.Up ? "up" : "down")} script for {SqlComment.Line(target)}, {migrations.Count} migration{(migrations.Count == 1 ? "" : "s")}, written {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC.");
        sql.AppendLine("-- Run it with: psql -v ON_ERROR_STOP=1 -f <this file>");
        if (idempotent)
            sql.AppendLine("-- Idempotent: each migration runs only if the history table says it is still to do (psql \\if), so running it twice is safe.");
        sql.AppendLine("\\set ON_ERROR_STOP on");
        sql.AppendLine();
        if (direction == MigrationDirection.Up)
            sql.AppendLine(history.CreateTableSql(includeSchema: true)).AppendLine();

        foreach (var migration in migrations)
            WriteMigration(sql, history, options, migration, direction, idempotent, unscriptable);

        if (migrations.Count == 0)
            sql.AppendLine("-- Nothing to do.");
        return new MigrationScript(sql.ToString(), migrations.Select(m => m.Info).ToList(), unscriptable);
    }

    private static void WriteMigration(StringBuilder sql, MigrationHistory history, CodeMigrationsOptions options, PreparedMigration migration,
        MigrationDirection direction, bool idempotent, List<string> unscriptable)
    {
        var info = migration.Info;
        var transactional = info.UseTransaction;
        sql.AppendLine(CultureInfo.InvariantCulture, $"-- {SqlComment.Line($"{info} ({info.Name})")}{(transactional ? "" : ": runs without a transaction, one statement at a time")}");
        if (idempotent)
        {
            var condition = (direction == MigrationDirection.Up ? "NOT " : "") + history.ScriptIsRecorded(info.Version);
            sql.AppendLine(CultureInfo.InvariantCulture, $"SELECT {condition} AS codemigrations_todo \\gset");
            sql.AppendLine("\\if :codemigrations_todo");
        }

        var timeouts = MigrationTimeouts.For(info, options);
        if (transactional)
            sql.AppendLine("BEGIN;");
        foreach (var setting in timeouts.SetStatements(local: transactional))
            sql.Append(setting).AppendLine(";");
        if (!transactional)
            sql.Append(history.MarkStarted(info, direction, direction == MigrationDirection.Up ? migration.Checksum : null).ToScript()).AppendLine(";");

        for (var i = 0; i < migration.Steps.Count; i++)
        {
            switch (migration.Steps[i])
            {
                case SqlStep { Parameters: null } step:
                    foreach (var statement in SqlScript.Split(step.Sql))
                        sql.Append(statement.Text).AppendLine(";");
                    break;
                case SqlStep { Parameters: { } parameters } step:
                    if (SqlParameterInliner.TryInline(step.Sql, parameters, out var reason) is { } inlined)
                    {
                        // Its Dapper parameters written in as literals of the types Npgsql sends them as.
                        foreach (var statement in SqlScript.Split(inlined))
                            sql.Append(statement.Text).AppendLine(";");
                        break;
                    }

                    var refused = $"{info} step {i + 1} ({step.Describe()}) has Dapper parameters that cannot be scripted ({reason})";
                    unscriptable.Add(refused);
                    sql.AppendLine(CultureInfo.InvariantCulture, $"-- NOT SCRIPTED: {SqlComment.Line(refused)}; apply this migration with 'up' instead.");
                    break;
                default:
                    var what = "runs .NET code";
                    var note = $"{info} step {i + 1} ({migration.Steps[i].Describe()}) {what} and cannot be scripted";
                    unscriptable.Add(note);
                    sql.AppendLine(CultureInfo.InvariantCulture, $"-- NOT SCRIPTED: {SqlComment.Line(note)}; apply this migration with 'up' instead.");
                    break;
            }
        }

        if (transactional)
        {
            var record = direction == MigrationDirection.Up ? history.RecordApplied(info, migration.Checksum) : history.Remove(info.Version);
            sql.Append(record.ToScript()).AppendLine(";");
            sql.AppendLine("COMMIT;");
        }
        else
        {
            foreach (var reset in MigrationTimeouts.ResetStatements())
                sql.Append(reset).AppendLine(";");
            sql.Append(history.MarkCompleted(info.Version, direction).ToScript()).AppendLine(";");
        }

        if (idempotent)
            sql.AppendLine("\\endif");
        sql.AppendLine();
    }
}
