namespace CodeMigrations.Sql;

/// <summary>A statement that PostgreSQL refuses inside a transaction block, or that would end the migration's transaction.</summary>
/// <param name="Statement">The statement, with its place in the script.</param>
/// <param name="Command">
/// The command as PostgreSQL names it in "... cannot run inside a transaction block", e.g. <c>CREATE INDEX CONCURRENTLY</c>,
/// <c>VACUUM</c>, <c>ALTER TABLE ... DETACH CONCURRENTLY</c>; for transaction control, its leading keywords, e.g.
/// <c>COMMIT</c> or <c>START TRANSACTION</c>.
/// </param>
public sealed record NonTransactionalStatement(SqlStatement Statement, string Command);
